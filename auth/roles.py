"""The five console roles. Codes are stored; labels are shown."""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    OPERATOR = "operator"
    HANDLER = "department_handler"
    SUPERVISOR = "supervisor"
    KNOWLEDGE_EDITOR = "knowledge_editor"
    ADMIN = "admin"


ROLE_LABELS: dict[str, str] = {
    Role.OPERATOR.value: "话务员",
    Role.HANDLER.value: "承办部门人员",
    Role.SUPERVISOR.value: "督办员",
    Role.KNOWLEDGE_EDITOR.value: "知识库编辑",
    Role.ADMIN.value: "系统管理员",
}

ALL_ROLES: tuple[str, ...] = tuple(r.value for r in Role)

# Where a role lands after logging in (the ticket workspace is not theirs).
HOME_PAGE: dict[str, str] = {Role.KNOWLEDGE_EDITOR.value: "/console/knowledge"}
