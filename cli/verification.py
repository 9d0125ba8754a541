"""./courtbot verification reset CASE_NUMBER — staff clear a case's identity-check ceiling and locks."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("verification", help="identity checks: reset a case after staff verified its parties")
    actions = parser.add_subparsers(dest="verification_command", required=True)
    reset = actions.add_parser("reset", help="clear a case's failure ceiling and every caller's lock on it")
    reset.add_argument("case_number", nargs="+", help="e.g. （2024）豫0804民初1566号 (any written form)")
    reset.set_defaults(func=cmd_reset)


def cmd_reset(args: argparse.Namespace) -> None:
    from actions.services import identity_service
    from nlu.case_number import CaseNumberError, parse_case_number

    try:
        case_number = parse_case_number(" ".join(args.case_number)).canonical
    except CaseNumberError as exc:
        sys.exit(f"无效案号：{exc.reason}")
    reset = identity_service().reset_case(case_number)
    state = "已恢复自助核验" if reset.was_escalated else "未处于人工核验状态"
    alert = f"，告警工单{reset.alert_ticket}" if reset.alert_ticket else ""
    print(f"{case_number}：清除{reset.failures_cleared}次未通过的核验记录，{state}{alert}。")
