"""Ticket operations, database only (no HTTP). Every change is checked against the state machine,
applied under optimistic locking and written as a hash-chained TicketEvent in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, false, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from auth.models import User
from core.masking import mask_text
from core.timeutil import as_utc, court_tz, utcnow
from tickets.audit import event_hash
from tickets.calendar import CalendarSource
from tickets.categories import HIGH_PRIORITY_LABELS, PRIORITY_LABELS, resolve_category
from tickets.models import Ticket, TicketDayCounter, TicketEvent, TicketNotification
from tickets.sla import Deadlines, load_deadlines, refresh_supervision
from tickets.states import OPEN, STEP, Action, Status, transition

TICKET_PREFIX = "12368"
# Fields whose before/after values go into the audit event when they change.
AUDITED = ("status", "priority", "department", "assignee", "feedback", "satisfaction", "satisfaction_comment",
           "merged_into", "reopen_count", "revisit_attempts", "escalation_level", "summary")
# Actions only the bot and the scheduler take.
SYSTEM_ACTIONS = frozenset({Action.OPEN, Action.ABSORB, Action.REMIND, Action.ADD_DETAILS, Action.REVISIT_ASKED})
# Bookkeeping a person need not see before acting: it leaves `Ticket.version` (their page's) alone.
QUIET_ACTIONS = frozenset({Action.OPEN, Action.REMIND, Action.REVISIT_ASKED})
ASSIGNABLE_ROLES = ("operator", "department_handler", "supervisor")
REVISIT_ATTEMPTS_BEFORE_TASK = 3
UNSATISFIED_AT_MOST = 2


@dataclass
class NewTicket:
    category: str  # a code from tickets.categories, or the Chinese label the bot uses
    channel: str
    sender: str
    summary: str
    case_number: str | None = None
    caller_name: str | None = None
    caller_verified: bool = False
    collected: dict[str, Any] = field(default_factory=dict)
    transcript: list[dict[str, Any]] = field(default_factory=list)
    caller_contact: str | None = None
    priority: str | None = None


@dataclass(frozen=True)
class Actor:
    name: str
    role: str | None = None
    department: str | None = None
    is_department_head: bool = False  # receives the second escalation level of the department


@dataclass
class ActionInput:
    """What a person sends with an action; each action uses the fields it needs."""

    text: str | None = None  # note / feedback / reason / comment
    department: str | None = None
    assignee: str | None = None
    satisfaction: int | None = None
    into: str | None = None  # merge target
    priority: str | None = None
    contact: str | None = None  # a callback number the caller added: kept whole, in its own field


class TicketError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TicketNotFound(TicketError):
    status_code = 404


class StaleTicket(TicketError):
    status_code = 409


class TransitionRefused(TicketError):
    status_code = 409


class InvalidAction(TicketError):
    status_code = 422


def format_ticket_number(day: date, seq: int) -> str:
    return f"{TICKET_PREFIX}-{day:%Y%m%d}-{seq:04d}"


def next_ticket_seq(session: Session, day: date) -> int:
    """Atomic per-day counter: UPDATE … RETURNING serialises concurrent callers on the row."""
    for _ in range(3):
        seq = session.execute(
            update(TicketDayCounter)
            .where(TicketDayCounter.day == day)
            .values(last=TicketDayCounter.last + 1)
            .returning(TicketDayCounter.last)
        ).scalar()
        if seq is not None:
            return int(seq)
        try:
            with session.begin_nested():
                session.execute(insert(TicketDayCounter).values(day=day, last=1))
            return 1
        except IntegrityError:
            continue  # another process created today's row first; increment it
    raise RuntimeError("could not allocate a ticket number")


def snapshot(ticket: Ticket) -> dict[str, Any]:
    return {k: getattr(ticket, k) for k in AUDITED}


def record_event(session: Session, ticket: Ticket, action: Action | str, actor: str, note: str,
                 before: dict[str, Any], after: dict[str, Any], now: datetime) -> TicketEvent:
    """Append the next link of the ticket's chain. Callers change the ticket row in the same
    transaction, so the version check serialises writers and the chain never forks."""
    action = Action(action)
    seq = (ticket.event_count or 0) + 1
    prev = ticket.audit_head or ""
    note = mask_text(note)
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    changed_before = {k: before.get(k) for k in keys if k in before}
    changed_after = {k: after.get(k) for k in keys}
    digest = event_hash(ticket.number, seq, STEP[action], action.value, actor, note, changed_before,
                        changed_after, now, prev)
    event = TicketEvent(ticket_id=ticket.id, seq=seq, step=STEP[action], action=action.value, actor=actor,
                        note=note, before=changed_before, after=changed_after, at=now, prev_hash=prev,
                        hash=digest)
    session.add(event)
    if action not in QUIET_ACTIONS:
        ticket.version = (ticket.version or 1) + 1
    ticket.audit_head, ticket.event_count, ticket.updated_at = digest, seq, now
    return event


def notify(session: Session, ticket: Ticket, recipient: str, kind: str, text: str, now: datetime) -> None:
    session.add(TicketNotification(recipient=recipient, ticket_id=ticket.id, kind=kind, text=text, at=now))


class TicketService:
    def __init__(self, sessions: sessionmaker[Session], calendar: CalendarSource | None = None,
                 deadlines: Deadlines | None = None) -> None:
        self._sessions = sessions
        self.calendar = calendar or CalendarSource(sessions)
        self.deadlines = deadlines or load_deadlines()

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self._sessions

    # --- opening ----------------------------------------------------------------------------------
    def open_ticket(self, new: NewTicket, now: datetime | None = None) -> Ticket:
        with self._sessions.begin() as session:
            ticket = self.open_in(session, new, as_utc(now) if now else utcnow())
        return ticket

    def open_in(self, session: Session, new: NewTicket, now: datetime) -> Ticket:
        """Open a ticket inside the caller's transaction (used when other rows must commit with it)."""
        now = as_utc(now)  # SQLite stores the wall-clock digits: every stored time is UTC
        day = now.astimezone(court_tz()).date()
        category = resolve_category(new.category, new.case_number)
        priority = new.priority if new.priority in PRIORITY_LABELS else (
            "high" if new.category in HIGH_PRIORITY_LABELS else "normal")
        cal = self.calendar.get()
        ticket = Ticket(
            number=format_ticket_number(day, next_ticket_seq(session, day)),
            category=category,
            source_label=new.category if new.category != category else None,
            status=Status.RECEIVED.value,
            priority=priority,
            channel=new.channel,
            sender=new.sender,
            caller_contact=new.caller_contact,
            summary=new.summary,
            case_number=new.case_number,
            caller_name=new.caller_name,
            caller_verified=new.caller_verified,
            collected=new.collected,
            transcript=new.transcript,
            assign_due_at=cal.add_working_days(now, self.deadlines.assign),
            feedback_due_at=cal.add_working_days(now, self.deadlines.feedback_days(category)),
            created_at=now,
            event_count=0,
            reopen_count=0,
            revisit_attempts=0,
            escalation_level=0,
        )
        refresh_supervision(ticket, cal, self.deadlines)
        session.add(ticket)
        session.flush()
        after = {"status": ticket.status, "category": category, "priority": priority}
        record_event(session, ticket, Action.OPEN, f"courtbot:{new.channel}", f"{new.category}：{new.summary}",
                     {}, after, now)
        return ticket

    # --- reading ----------------------------------------------------------------------------------
    def get(self, number: str) -> Ticket | None:
        with self._sessions() as session:
            stmt = select(Ticket).where(Ticket.number == number).options(selectinload(Ticket.events))
            return session.scalars(stmt).first()

    def list_for_sender(self, sender: str) -> list[Ticket]:
        with self._sessions() as session:
            stmt = select(Ticket).where(Ticket.sender == sender).order_by(Ticket.id)
            return list(session.scalars(stmt))

    def search(self, query: TicketQuery, viewer: Actor, now: datetime | None = None) -> tuple[list[Ticket], int]:
        now = as_utc(now) if now else utcnow()
        stmt = select(Ticket).where(*query.conditions(viewer, now))
        with self._sessions() as session:
            total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
            rows = session.scalars(stmt.order_by(Ticket.id.desc()).limit(query.limit).offset(query.offset))
            return list(rows), total

    def queue_counts(self, viewer: Actor, now: datetime | None = None) -> dict[str, int]:
        """How many tickets wait in each queue, as this viewer sees them."""
        now = as_utc(now) if now else utcnow()
        counts = {}
        with self._sessions() as session:
            for queue in QUEUES:
                conds = TicketQuery(queue=queue).conditions(viewer, now)
                counts[queue] = int(session.scalar(select(func.count()).select_from(Ticket).where(*conds)) or 0)
        return counts

    def notifications_for(self, viewer: Actor, since_id: int = 0, limit: int = 50) -> list[TicketNotification]:
        recipients = [f"user:{viewer.name}", f"role:{viewer.role}"]
        if viewer.department and viewer.is_department_head:
            recipients.append(f"head:{viewer.department}")
        with self._sessions() as session:
            stmt = (select(TicketNotification).where(TicketNotification.recipient.in_(recipients),
                                                     TicketNotification.id > since_id)
                    .order_by(TicketNotification.id.desc()).limit(limit))
            return list(session.scalars(stmt))

    def staff(self) -> list[User]:
        """Accounts a ticket can be assigned to, by department."""
        with self._sessions() as session:
            return list(session.scalars(select(User).where(User.active.is_(True), User.role.in_(ASSIGNABLE_ROLES))
                                        .order_by(User.department, User.username)))

    # --- changing ---------------------------------------------------------------------------------
    def add_details(self, number: str, text: str, actor: str, now: datetime | None = None,
                    contact: str | None = None) -> Ticket:
        """The caller added something to an open ticket (no version needed: it only appends)."""
        if not text.strip():
            raise InvalidAction("补充内容不能为空")
        return self._change(number, Action.ADD_DETAILS, Actor(actor), None,
                            ActionInput(text=text, contact=contact), now, retries=3)

    def perform(self, number: str, action: Action, actor: Actor, expected_version: int | None,
                data: ActionInput | None = None, now: datetime | None = None) -> Ticket:
        """A person's action. `expected_version` is the version they saw: if someone changed the
        ticket since, nothing happens and StaleTicket says so."""
        if action in SYSTEM_ACTIONS:
            raise InvalidAction("该操作由系统执行，不能手动调用")
        # Retries: a system write (a reminder) racing a person's is not their conflict; the version they saw
        # is checked again on each attempt, so another person's change still refuses theirs.
        return self._change(number, action, actor, expected_version, data or ActionInput(), now, retries=3)

    def _change(self, number: str, action: Action, actor: Actor, expected_version: int | None,
                data: ActionInput, now: datetime | None, retries: int = 1) -> Ticket:
        for attempt in range(retries):
            try:
                with self._sessions.begin() as session:
                    ticket = self._load(session, number)
                    if expected_version is not None and ticket.version != expected_version:
                        raise StaleTicket(_stale_message(ticket))
                    self._apply(session, ticket, action, actor, data, as_utc(now) if now else utcnow())
                    session.flush()  # the versioned UPDATE: StaleDataError if someone got there first
                return self.get(number) or ticket
            except StaleDataError:
                if attempt + 1 < retries:
                    continue
                with self._sessions() as session:
                    raise StaleTicket(_stale_message(self._load(session, number))) from None
        raise AssertionError("unreachable")

    def apply_in(self, session: Session, ticket: Ticket, action: Action, actor: Actor, data: ActionInput,
                 now: datetime) -> None:
        """A system step (revisits) inside the caller's transaction: checked and audited like any."""
        self._apply(session, ticket, action, actor, data, as_utc(now))

    @staticmethod
    def _load(session: Session, number: str) -> Ticket:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number.strip())).first()
        if ticket is None:
            raise TicketNotFound(f"没有找到工单 {number}")
        return ticket

    def _apply(self, session: Session, ticket: Ticket, action: Action, actor: Actor, data: ActionInput,
               now: datetime) -> None:
        try:
            new_status = transition(ticket.status, action)
        except Exception as exc:  # IllegalTransition: refuse before touching anything
            raise TransitionRefused(str(exc)) from None
        before = snapshot(ticket)
        cal = self.calendar.get()
        text = (data.text or "").strip()
        note = text
        if action is Action.ASSIGN:
            if not (data.department or "").strip():
                raise InvalidAction("交办需要选择承办部门")
            ticket.department = data.department.strip()[:32]
            ticket.assignee = _check_assignee(session, (data.assignee or "").strip(), ticket.department)
            note = f"交办 {ticket.department}" + (f"（{ticket.assignee}）" if ticket.assignee else "") + (
                f"：{text}" if text else "")
        elif action is Action.ACCEPT:
            ticket.assignee = actor.name
            ticket.department = ticket.department or actor.department
        elif action is Action.RETURN:
            _require(text, "退回需要说明原因")
            ticket.department, ticket.assignee = None, None
        elif action in (Action.NOTE, Action.ADD_DETAILS):
            _require(text, "内容不能为空")
            if action is Action.ADD_DETAILS:
                ticket.summary = f"{ticket.summary}\n【补充】{mask_text(text)}"
                if data.contact:
                    ticket.caller_contact = data.contact
        elif action is Action.FEEDBACK:
            _require(text, "反馈需要填写答复内容")
            ticket.feedback, ticket.fed_back_at, ticket.handled_by = mask_text(text), now, actor.name
            ticket.revisit_due_at = cal.add_working_days(now, self.deadlines.revisit)
        elif action is Action.REVISIT:
            if data.satisfaction not in (1, 2, 3, 4, 5):
                raise InvalidAction("回访需要记录满意度（1–5 分）")
            ticket.satisfaction, ticket.satisfaction_comment = data.satisfaction, mask_text(text) or None
            note = f"满意度 {data.satisfaction} 分" + (f"：{text}" if text else "")
            if data.satisfaction <= UNSATISFIED_AT_MOST:
                notify(session, ticket, "role:supervisor", "review",
                       f"工单 {ticket.number} 回访不满意（{data.satisfaction} 分），请复核是否重新办理", now)
        elif action is Action.REVISIT_FAILED:
            ticket.revisit_attempts = (ticket.revisit_attempts or 0) + 1
            note = f"第 {ticket.revisit_attempts} 次回访未接通" + (f"：{text}" if text else "")
            if ticket.revisit_attempts >= REVISIT_ATTEMPTS_BEFORE_TASK:
                notify(session, ticket, "role:operator", "review",
                       f"工单 {ticket.number} 已 {ticket.revisit_attempts} 次回访未接通，请人工跟进", now)
        elif action is Action.CLOSE:
            ticket.closed_at = now
        elif action is Action.REOPEN:
            _require(text, "重新办理需要说明原因")
            ticket.reopen_count = (ticket.reopen_count or 0) + 1
            ticket.feedback_due_at = cal.add_working_days(now, self.deadlines.feedback_days(ticket.category))
            ticket.revisit_due_at, ticket.closed_at = None, None
            if ticket.assignee:
                notify(session, ticket, f"user:{ticket.assignee}", "review",
                       f"工单 {ticket.number} 已重新办理：{mask_text(text)}", now)
        elif action is Action.ESCALATE:
            _require(text, "督办需要说明事由")
            ticket.priority = "urgent"
            notify(session, ticket, "role:supervisor", "escalate", f"工单 {ticket.number} 被提请督办：{mask_text(text)}",
                   now)
        elif action is Action.MERGE:
            target_number = (data.into or "").strip()
            if not target_number or target_number == ticket.number:
                raise InvalidAction("合并需要填写另一张（重复的主）工单号")
            target = self._load(session, target_number)
            if target.status not in {s.value for s in OPEN}:
                raise TransitionRefused(f"工单 {target.number} 已办结或已合并，不能并入")
            ticket.merged_into, ticket.closed_at = target.number, now
            note = f"与 {target.number} 重复，已并入" + (f"：{text}" if text else "")
            target_before = snapshot(target)
            record_event(session, target, Action.ABSORB, actor.name, f"并入重复工单 {ticket.number}",
                         target_before, snapshot(target), now)
        if data.priority in PRIORITY_LABELS and action is not Action.ESCALATE:
            ticket.priority = data.priority
        ticket.status = new_status
        refresh_supervision(ticket, cal, self.deadlines)
        record_event(session, ticket, action, actor.name, note, before, snapshot(ticket), now)


@dataclass
class TicketQuery:
    status: str | None = None
    category: str | None = None
    q: str | None = None
    queue: str | None = None  # mine / department / unassigned / overdue / awaiting_feedback / awaiting_revisit
    channel: str | None = None
    limit: int = 50
    offset: int = 0

    def conditions(self, viewer: Actor, now: datetime) -> list[Any]:
        conds: list[Any] = []
        if viewer.role == "department_handler":
            # A department sees its own work only.
            conds.append(or_(_in_department(viewer), Ticket.assignee == viewer.name))
        if self.status:
            conds.append(Ticket.status == self.status)
        if self.category:
            conds.append(Ticket.category == self.category)
        if self.channel:
            conds.append(Ticket.channel == self.channel)
        if self.q:
            like = f"%{self.q.strip()}%"
            conds.append(or_(Ticket.number.like(like), Ticket.summary.like(like), Ticket.case_number.like(like),
                             Ticket.caller_name.like(like), Ticket.caller_contact == self.q.strip()))
        queue = self.queue
        if queue == "mine":
            conds += [Ticket.assignee == viewer.name, Ticket.status.in_(_open_codes())]
        elif queue == "department":
            conds += [_in_department(viewer), Ticket.status.in_(_open_codes())]
        elif queue == "unassigned":
            conds.append(Ticket.status == Status.RECEIVED.value)
        elif queue == "overdue":
            conds.append(overdue_condition(now))
        elif queue == "awaiting_feedback":
            conds.append(Ticket.status.in_([Status.ASSIGNED.value, Status.IN_PROGRESS.value]))
        elif queue == "awaiting_revisit":
            conds.append(Ticket.status == Status.FED_BACK.value)
        return conds


QUEUES = {"mine": "我的工单", "department": "本部门", "unassigned": "待交办", "overdue": "已超期",
          "awaiting_feedback": "待反馈", "awaiting_revisit": "待回访"}


def _in_department(viewer: Actor) -> Any:
    """The viewer's department's tickets; nothing for someone without a department."""
    return Ticket.department == viewer.department if viewer.department else false()


def _open_codes() -> list[str]:
    return [s.value for s in OPEN]


def overdue_condition(now: datetime) -> Any:
    return or_(
        and_(Ticket.status == Status.RECEIVED.value, Ticket.assign_due_at < now),
        and_(Ticket.status.in_([Status.ASSIGNED.value, Status.IN_PROGRESS.value]), Ticket.feedback_due_at < now),
        and_(Ticket.status == Status.FED_BACK.value, Ticket.revisit_due_at < now),
    )


def _check_assignee(session: Session, username: str, department: str) -> str | None:
    """The assignee must be an active account that handles tickets, in the chosen department when
    it has one; a typo would otherwise hand the work to nobody."""
    if not username:
        return None
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or not user.active or user.role not in ASSIGNABLE_ROLES:
        raise InvalidAction(f"没有可以承办工单的账号“{username}”")
    if user.department and user.department != department:
        raise InvalidAction(f"{user.display_name}（{user.username}）属于{user.department}，不属于{department}")
    return user.username


def _require(text: str, message: str) -> None:
    if not text:
        raise InvalidAction(message)


def _stale_message(ticket: Ticket) -> str:
    return (f"工单 {ticket.number} 刚刚已被其他人更新（当前版本 {ticket.version}），您的操作未执行。"
            "请刷新查看最新情况后再操作。")
