"""The W3C Nu HTML checker (vnu-jar from the npm registry), run on many pages in one go.

bin/setup --test installs it into .tools/ (kept out of git); it runs on the machine's Java.
One JVM for a whole batch: starting one costs about a second, checking a page a few ms.
"""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

VERSION = "26.9.27"
JAR = Path(__file__).resolve().parents[2] / ".tools" / "node_modules" / "vnu-jar" / "build" / \
    "dist" / "vnu.jar"


# htmx's attributes are not HTML's, by design; everything else the checker says counts.
IGNORED = re.compile(r"^Attribute “hx-[a-z-]+” not allowed on element")


def available() -> bool:
    return JAR.is_file() and shutil.which("java") is not None


def check(pages: dict[str, str]) -> list[str]:
    """The Nu checker's errors for every page, given as {where: html}; [] when all pass.

    :raise AssertionError: when vnu.jar or Java is missing (run `bin/setup --test`).
    """
    assert available(), f"the Nu checker is missing: run bin/setup --test (vnu-jar@{VERSION})"
    if not pages:
        return []
    with tempfile.TemporaryDirectory(prefix="nu-") as folder:
        names = {}
        for number, (where, html) in enumerate(pages.items()):
            path = Path(folder) / f"page-{number:04d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = where
        done = subprocess.run(
            ["java", "-Xss1m", "-jar", str(JAR), "--format", "json", "--exit-zero-always",
             "--errors-only", *(str(Path(folder) / name) for name in sorted(names))],
            capture_output=True, text=True, timeout=300)
        report = json.loads(done.stderr or "{}")
    problems = []
    for message in report.get("messages", []):
        if message.get("type") != "error" or IGNORED.search(message.get("message", "")):
            continue
        url = message.get("url", "")
        where = names.get(url.rsplit("/", 1)[-1], url)
        extract = (message.get("extract") or "").strip().replace("\n", " ")[:160]
        problems.append(f"{where}: Nu line {message.get('lastLine')}: {message.get('message')}"
                        f" [{extract}]")
    return problems
