"""Curation pages for knowledge editors (/console/knowledge…): create, edit, preview, try a question
before publishing, publish, unpublish, delete, import/export, and the queue of unanswered questions.

Every route requires the knowledge_editor or admin role (auth.deps.require_role); forms carry the
session's CSRF token, which the role guard checks on every POST.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from auth.deps import require_role
from auth.service import Principal
from console.templating import TEMPLATES as CONSOLE_TEMPLATES
from knowledge import schema, transfer
from knowledge.queue import REASONS, CurationQueue
from knowledge.store import knowledge_base

router = APIRouter(include_in_schema=False)
Editor = Annotated[Principal, Depends(require_role("knowledge_editor", "admin"))]
MAX_UPLOAD = 20 * 2**20
FIELD_LABELS = {
    "question": "问题", "paraphrases": "同义问法（每行一个）", "answer": "解答", "legal_basis": "法律依据",
    "title": "标题", "facts": "案情", "reasoning": "裁判理由", "outcome": "裁判结果", "court": "法院", "date": "日期",
    "source": "来源", "name": "名称", "dispute_types": "受理纠纷类型（用|分隔）", "area": "地址", "contact": "电话",
    "hours": "办公时间", "description": "简介", "case_type": "案件类型", "items": "材料（每行一项）", "notes": "说明",
    "tags": "标签（空格分隔）", "dispute_type": "纠纷类型",
}
LONG_FIELDS = {"answer", "legal_basis", "facts", "reasoning", "outcome", "description", "items", "paraphrases", "notes"}
STATUS_NAMES = {"draft": "草稿", "published": "已发布", "unpublished": "已下线"}
ACTION_NAMES = {"create": "创建", "edit": "编辑", "import": "导入", "publish": "发布", "unpublish": "下线", "draft": "转为草稿",
                "delete": "删除"}


def _templates() -> Jinja2Templates:
    """Our templates, extending the console's base.html."""
    templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
    templates.env.loader = ChoiceLoader([templates.env.loader, CONSOLE_TEMPLATES.env.loader])  # type: ignore[list-item]
    templates.env.globals.update(KIND_NAMES=schema.KIND_NAMES, STATUS_NAMES=STATUS_NAMES, ACTION_NAMES=ACTION_NAMES,
                                 FIELD_LABELS=FIELD_LABELS, LONG_FIELDS=LONG_FIELDS, DISPUTE_TYPES=schema.DISPUTE_TYPES,
                                 REASONS=REASONS, SPECS=schema.SPECS)
    return templates


TEMPLATES = _templates()


def page(request: Request, user: Principal, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, {"user": user, **context}, status_code=status_code)


def back_to(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def item_url(item_id: str) -> str:
    return f"/console/knowledge/item/{quote(item_id, safe='')}"


def _form_record(kind: str, form: Any) -> dict[str, Any]:
    names = ["id", *schema.SPECS[kind].fields, "tags", "dispute_type"]
    return {name: str(form.get(name) or "") for name in names}


@router.get("/console/knowledge", response_class=HTMLResponse)
def index(request: Request, user: Editor, kind: str = "faq", status: str = "", q: str = "") -> HTMLResponse:
    kind = kind if kind in schema.KINDS else "faq"
    kb = knowledge_base()
    items = kb.list_items(kind, status or None, q.strip())
    counts = {k: kb.count(k) for k in schema.KINDS}
    return page(request, user, "knowledge_index.html", kind=kind, status=status, q=q, items=items, counts=counts,
                pending=len(CurationQueue(kb.sessions).pending()))


@router.get("/console/knowledge/new", response_class=HTMLResponse)
def new_item(request: Request, user: Editor, kind: str = "faq", question_id: int | None = None) -> HTMLResponse:
    kind = kind if kind in schema.KINDS else "faq"
    record: dict[str, Any] = {}
    if question_id is not None:
        queued = CurationQueue(knowledge_base().sessions).get(question_id)
        if queued is not None:
            record = {"question": queued.question, "dispute_type": queued.dispute_type or ""}
    return page(request, user, "knowledge_edit.html", kind=kind, record=record, new=True, question_id=question_id, problems=[])


@router.post("/console/knowledge/save", response_class=HTMLResponse)
async def save(request: Request, user: Editor) -> Response:
    form = await request.form()
    kind = str(form.get("kind") or "")
    if kind not in schema.KINDS:
        return page(request, user, "knowledge_message.html", 422, message="未知的知识类型")
    record = _form_record(kind, form)
    new = form.get("new") == "1"
    kb = knowledge_base()
    if new and kb.get(record["id"]) is not None:
        return page(request, user, "knowledge_edit.html", 422, kind=kind, record=record, new=True,
                    question_id=form.get("question_id"), problems=[f"编号 {record['id']} 已存在，请换一个"])
    current = None if new else kb.get(record["id"])
    status = current[0].status if current else "draft"
    try:
        await run_in_threadpool(kb.save, kind, record, user.username, status)
    except schema.RecordError as exc:
        return page(request, user, "knowledge_edit.html", 422, kind=kind, record=record, new=new,
                    question_id=form.get("question_id"), problems=exc.problems)
    question_id = str(form.get("question_id") or "")
    if question_id.isdigit():
        CurationQueue(kb.sessions).resolve(int(question_id), user.username, record["id"])
    return back_to(item_url(record["id"]))


@router.get("/console/knowledge/item/{item_id}", response_class=HTMLResponse)
def show(request: Request, user: Editor, item_id: str, try_query: str = "") -> HTMLResponse:
    kb = knowledge_base()
    found = kb.get(item_id)
    if found is None:
        return page(request, user, "knowledge_message.html", 404, message=f"没有编号为 {item_id} 的知识")
    item, record = found
    trial = None
    if try_query.strip():
        hits = kb.search(try_query, item.kind, k=10, statuses=schema.STATUSES)
        rank = next((n for n, h in enumerate(hits, start=1) if h.id == item.id), None)
        trial = {"query": try_query, "hits": hits, "rank": rank}
    return page(request, user, "knowledge_item.html", item=item, record=record, history=kb.history(item_id), trial=trial)


@router.get("/console/knowledge/item/{item_id}/edit", response_class=HTMLResponse)
def edit(request: Request, user: Editor, item_id: str) -> HTMLResponse:
    found = knowledge_base().get(item_id)
    if found is None:
        return page(request, user, "knowledge_message.html", 404, message=f"没有编号为 {item_id} 的知识")
    item, record = found
    shown = {k: "\n".join(v) if k in schema.LIST_FIELDS and k not in schema.WORD_LISTS else " ".join(v) if isinstance(v, list) else v
             for k, v in record.items()}
    shown["id"] = item.id
    return page(request, user, "knowledge_edit.html", kind=item.kind, record=shown, new=False, question_id=None, problems=[])


@router.post("/console/knowledge/item/{item_id}/status")
async def set_status(request: Request, user: Editor, item_id: str) -> Response:
    status = str((await request.form()).get("status") or "")
    if status not in schema.STATUSES:
        return page(request, user, "knowledge_message.html", 422, message="未知的状态")
    if not await run_in_threadpool(knowledge_base().set_status, item_id, status, user.username):
        return page(request, user, "knowledge_message.html", 404, message=f"没有编号为 {item_id} 的知识")
    return back_to(item_url(item_id))


@router.post("/console/knowledge/item/{item_id}/delete")
async def delete(request: Request, user: Editor, item_id: str) -> Response:
    found = knowledge_base().get(item_id)
    if found is None or not await run_in_threadpool(knowledge_base().delete, item_id, user.username):
        return page(request, user, "knowledge_message.html", 404, message=f"没有编号为 {item_id} 的知识")
    return back_to(f"/console/knowledge?kind={found[0].kind}")


@router.get("/console/knowledge/try", response_class=HTMLResponse)
def try_question(request: Request, user: Editor, q: str = "", kind: str = "faq") -> HTMLResponse:
    kind = kind if kind in schema.KINDS else "faq"
    hits = knowledge_base().search(q, kind, k=10, statuses=schema.STATUSES) if q.strip() else []
    return page(request, user, "knowledge_try.html", q=q, kind=kind, hits=hits)


@router.post("/console/knowledge/import", response_class=HTMLResponse)
async def import_file(request: Request, user: Editor) -> HTMLResponse:
    form = await request.form()
    kind = str(form.get("kind") or "")
    upload = form.get("file")
    if kind not in schema.KINDS or not isinstance(upload, UploadFile) or not upload.filename:
        return page(request, user, "knowledge_message.html", 422, message="请选择知识类型和要导入的 JSONL 或 CSV 文件")
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return page(request, user, "knowledge_message.html", 422, message="文件超过20MB，请分批导入")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return page(request, user, "knowledge_message.html", 422, message="文件不是 UTF-8 编码，请另存为 UTF-8 后再导入")
    rows = transfer.parse(text, transfer.format_of(upload.filename))
    status = "published" if form.get("publish") == "1" else "draft"
    report = await run_in_threadpool(lambda: knowledge_base().import_records(
        kind, rows, by=user.username, status=status, reject_duplicates=form.get("reject_duplicates") == "1"))
    return page(request, user, "knowledge_import.html", 200 if report.ok else 422, kind=kind, report=report,
                filename=upload.filename)


@router.get("/console/knowledge/export")
def export(user: Editor, kind: str = "faq", format: str = "jsonl") -> Response:
    if kind not in schema.KINDS or format not in ("jsonl", "csv"):
        return Response("未知的知识类型或格式", status_code=422, media_type="text/plain; charset=utf-8")
    body = transfer.dump(kind, knowledge_base().export_records(kind), format)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson; charset=utf-8"
    return Response(body.encode("utf-8"), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="knowledge-{kind}.{format}"'})


@router.get("/console/knowledge/queue", response_class=HTMLResponse)
def queue(request: Request, user: Editor) -> HTMLResponse:
    return page(request, user, "knowledge_queue.html", questions=CurationQueue(knowledge_base().sessions).pending())


@router.post("/console/knowledge/queue/{question_id}/dismiss")
def dismiss(user: Editor, question_id: int) -> Response:
    CurationQueue(knowledge_base().sessions).resolve(question_id, user.username)
    return back_to("/console/knowledge/queue")
