"""`./courtbot kb …` contracts on a scratch store (--data-dir): stdout carries only the JSON lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.config import REPO_ROOT

FAQ_LINES = [
    {"id": "f1", "question": "离婚时孩子跟谁生活由谁决定", "answer": "协商不成由法院判决。", "tags": ["抚养"], "dispute_type": "婚姻家庭"},
    {"id": "f2", "question": "被车撞了保险公司不赔怎么办", "answer": "可起诉保险公司。", "tags": ["交强险"], "dispute_type": "交通事故"},
    {"id": 3, "question": "房东不退押金可以起诉吗", "answer": "可以。", "tags": "押金 租房", "dispute_type": "合同纠纷"},
]


def kb(*args: str, stdin: str = "", data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "OMP_NUM_THREADS": "1"}
    env.pop("DATABASE_URL", None)  # the scratch store must not need (or touch) the configured database
    return subprocess.run([sys.executable, "-m", "cli", "kb", *args, "--data-dir", str(data_dir)], input=stdin,
                          capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=600, check=False)


def test_import_search_classify_verify_on_a_scratch_store(tmp_path: Path) -> None:
    source = tmp_path / "faq.jsonl"
    source.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in FAQ_LINES), encoding="utf-8")
    store = tmp_path / "store"
    imported = kb("import", "--kind", "faq", str(source), data_dir=store)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == ""

    queries = [{"id": "a", "query": "租的房子退租了押金不给"}, {"id": 7, "query": "骑电动车被汽车撞伤了"}]
    searched = kb("search", "--kind", "faq", "--k", "10", "--jsonl",
                  stdin="".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), data_dir=store)
    assert searched.returncode == 0, searched.stderr
    lines = [json.loads(line) for line in searched.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", 7]
    assert lines[0]["results"][0] == 3 and lines[1]["results"][0] == "f2"
    assert sorted(lines[0]["results"], key=str) == sorted([3, "f1", "f2"], key=str)

    classified = kb("classify", "--jsonl", stdin='{"id": "x", "text": "包工头欠了我们半年工钱"}\n', data_dir=store)
    assert classified.returncode == 0, classified.stderr
    assert json.loads(classified.stdout) == {"id": "x", "label": "劳动纠纷"}

    verified = kb("verify", data_dir=store)
    assert verified.returncode == 0 and "faq: 3 items, 0 missing" in verified.stdout


def test_a_bad_file_imports_nothing_and_says_which_row(tmp_path: Path) -> None:
    source = tmp_path / "faq.jsonl"
    source.write_text(json.dumps(FAQ_LINES[0], ensure_ascii=False) + '\n{"id": "f9", "dispute_type": "民事"}\n', encoding="utf-8")
    store = tmp_path / "store"
    result = kb("import", "--kind", "faq", str(source), data_dir=store)
    assert result.returncode != 0
    assert "第2行" in result.stderr and "缺少 question" in result.stderr and "未导入任何内容" in result.stderr
    exported = kb("export", "--kind", "faq", data_dir=store)
    assert exported.returncode == 0 and exported.stdout == ""
