"""`./courtbot user create|list`: operator accounts (the console has no self-registration)."""

from __future__ import annotations

import argparse
import getpass
import sys

from auth.roles import ALL_ROLES, ROLE_LABELS


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    user = sub.add_parser("user", help="operator accounts: create, list")
    actions = user.add_subparsers(dest="user_command", required=True)
    create = actions.add_parser("create", help="create an account (password prompted when omitted)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=ALL_ROLES)
    create.add_argument("--password", help="omit to be prompted (keeps it out of shell history)")
    create.add_argument("--name", help="display name (default: the username)")
    create.add_argument("--department", help="department, e.g. 立案庭 (department handlers)")
    create.add_argument("--head", action="store_true", help="this user heads the department (escalations)")
    create.set_defaults(func=cmd_create)
    actions.add_parser("list", help="list accounts").set_defaults(func=cmd_list)


def cmd_create(args: argparse.Namespace) -> None:
    from auth.service import AuthService, UserError
    from core.db import get_session_factory

    password = args.password
    if password is None:
        password = getpass.getpass("密码：")
        if getpass.getpass("再次输入密码：") != password:
            sys.exit("两次输入的密码不一致，未创建账号")
    try:
        user = AuthService(get_session_factory()).create_user(
            args.username, args.role, password, args.name, args.department, args.head)
    except UserError as exc:
        sys.exit(f"未创建账号：{exc}")
    print(f"==> created {user.username} ({ROLE_LABELS[user.role]})")


def cmd_list(_args: argparse.Namespace) -> None:
    from auth.service import AuthService
    from core.db import get_session_factory

    for u in AuthService(get_session_factory()).list_users():
        head = " 负责人" if u.is_department_head else ""
        print(f"{u.username}\t{ROLE_LABELS.get(u.role, u.role)}\t{u.department or '-'}{head}\t{'启用' if u.active else '停用'}")
