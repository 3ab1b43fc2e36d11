"""pip-audit over the pinned constraints.txt, with an ignore list that says why.

    python scripts/pip_audit.py          (`make audit` runs it after bandit)

Every advisory pip-audit reports for a pinned release fails the audit, unless
pip-audit-ignore.toml lists its id with the reason it cannot be fixed yet. An ignore entry
whose advisory is no longer reported (the package was upgraded) fails it too, so that the
list only holds what still applies.

pip-audit runs in an environment of its own, made once in ~/.cache/jobseeker-assistant/:
it needs packaging>=23 and Rasa 3.6 needs packaging<21, so it cannot be installed in .venv.
It reads the pins as they are (--no-deps --disable-pip) and asks PyPI about each release
(https://pypi.org/pypi/<name>/<version>/json, whose "vulnerabilities" come from the PyPA
advisory database), so it needs the network. A release it could not look up fails the
audit: "nothing found" must mean "looked, and found nothing".

Exit status: 0 clean, 1 advisories to fix (or stale ignore entries), 2 the audit could not
be made (no network, PyPI's release data unreachable, the tool could not be installed).
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404: runs pip and pip-audit with fixed arguments, no shell
import sys
import venv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
IGNORE_FILE = ROOT / "pip-audit-ignore.toml"
PIP_AUDIT_VERSION = "2.10.1"
TOOL_DIR = (
    Path(os.environ.get("ASSISTANT_TEST_CACHE", Path.home() / ".cache" / "jobseeker-assistant"))
    / f"pip-audit-{PIP_AUDIT_VERSION}"
)
NETWORK_HELP = (
    "pip-audit needs the network: it asks PyPI (https://pypi.org/pypi/<name>/<version>/json) "
    "about every pinned release. Check that this machine reaches pypi.org, that a proxy or a "
    "mirror answers that per-release JSON API (a mirror of the simple index is not enough), "
    "and run `make audit` again."
)


class AuditUnavailable(RuntimeError):
    """The audit could not be made (network, tool); its message says what to do."""


@dataclass(frozen=True)
class Ignore:
    id: str
    package: str
    reason: str


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    id: str
    aliases: tuple[str, ...]
    fix_versions: tuple[str, ...]
    description: str

    def names(self) -> set[str]:
        return {self.id, *self.aliases}

    def line(self) -> str:
        fixed = ", ".join(self.fix_versions) or "no fixed release"
        also = f" ({', '.join(self.aliases)})" if self.aliases else ""
        return f"{self.package} {self.version}: {self.id}{also}; fixed in {fixed}"


@dataclass
class AuditResult:
    audited: int = 0
    findings: list[Finding] = field(default_factory=list)  # not ignored: to fix
    ignored: list[Finding] = field(default_factory=list)
    stale_ignores: list[Ignore] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)  # "name: why"

    @property
    def ok(self) -> bool:
        return not (self.findings or self.stale_ignores or self.unaudited)

    def report(self) -> str:
        lines = [f"pip-audit: {self.audited} pinned releases of {CONSTRAINTS.name} audited"]
        if self.unaudited:
            lines.append(f"{len(self.unaudited)} releases could NOT be audited, e.g.:")
            lines += [f"  {entry}" for entry in self.unaudited[:5]]
            lines.append(NETWORK_HELP)
        if self.findings:
            lines.append(f"{len(self.findings)} advisories to fix (or to ignore with a reason):")
            lines += [f"  {finding.line()}" for finding in self.findings]
        if self.ignored:
            lines.append(f"{len(self.ignored)} advisories ignored ({IGNORE_FILE.name}):")
            lines += [f"  {finding.line()}" for finding in self.ignored]
        if self.stale_ignores:
            lines.append(f"{IGNORE_FILE.name} lists advisories no longer reported: remove them:")
            lines += [f"  {entry.id} ({entry.package})" for entry in self.stale_ignores]
        return "\n".join(lines)


def load_ignores(path: Path = IGNORE_FILE) -> list[Ignore]:
    """The ignore list; every entry needs an id, a package and a reason."""
    if not path.exists():
        return []
    data = tomli.loads(path.read_text(encoding="utf-8"))
    entries = []
    for number, item in enumerate(data.get("ignore", []), start=1):
        values = {key: str(item.get(key, "")).strip() for key in ("id", "package", "reason")}
        missing = [key for key, value in values.items() if not value]
        if missing:
            raise ValueError(f"{path.name}: entry {number} has no {', '.join(missing)}")
        entries.append(Ignore(**values))
    return entries


def evaluate(report: dict[str, Any], ignores: list[Ignore]) -> AuditResult:
    """pip-audit's JSON report judged against the ignore list."""
    result = AuditResult()
    used: set[str] = set()
    wanted = {entry.id for entry in ignores}
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            result.unaudited.append(f"{dependency.get('name')}: {dependency['skip_reason']}")
            continue
        result.audited += 1
        for vuln in dependency.get("vulns", []):
            finding = Finding(
                package=dependency["name"],
                version=dependency.get("version", "?"),
                id=vuln["id"],
                aliases=tuple(vuln.get("aliases", [])),
                fix_versions=tuple(vuln.get("fix_versions", [])),
                description=(vuln.get("description") or "")[:200],
            )
            matched = finding.names() & wanted
            if matched:
                used |= matched
                result.ignored.append(finding)
            else:
                result.findings.append(finding)
    result.stale_ignores = [entry for entry in ignores if entry.id not in used]
    return result


def tool() -> Path:
    """The pip-audit executable of the tool's own environment (made when missing)."""
    executable = TOOL_DIR / "bin" / "pip-audit"
    if executable.exists():
        return executable
    try:
        venv.create(TOOL_DIR, with_pip=True, clear=True)
        subprocess.run(  # nosec B603: fixed arguments
            [str(TOOL_DIR / "bin" / "python"), "-m", "pip", "install", "--quiet",
             "--disable-pip-version-check", f"pip-audit=={PIP_AUDIT_VERSION}"],
            check=True, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as error:
        output = getattr(error, "stderr", "") or ""
        raise AuditUnavailable(
            f"pip-audit {PIP_AUDIT_VERSION} could not be installed in {TOOL_DIR}: {error}\n"
            f"{output[-1000:]}\n{NETWORK_HELP}"
        ) from error
    return executable


def run_pip_audit(constraints: Path = CONSTRAINTS) -> dict[str, Any]:
    """pip-audit's JSON report on the pins of `constraints`."""
    command = [str(tool()), "--requirement", str(constraints), "--no-deps", "--disable-pip",
               "--format", "json", "--progress-spinner", "off"]  # fmt: skip
    try:
        done = subprocess.run(  # nosec B603: fixed arguments
            command, capture_output=True, text=True, timeout=900, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise AuditUnavailable(f"pip-audit took more than 15 minutes. {NETWORK_HELP}") from error
    try:
        return json.loads(done.stdout)
    except ValueError:
        raise AuditUnavailable(
            f"pip-audit failed (exit {done.returncode}):\n{done.stderr[-2000:]}\n{NETWORK_HELP}"
        ) from None


def audit() -> AuditResult:
    return evaluate(run_pip_audit(), load_ignores())


def main() -> int:
    try:
        result = audit()
    except AuditUnavailable as error:
        print(f"pip-audit could not be made.\n{error}", file=sys.stderr)
        return 2
    print(result.report())
    if result.unaudited:
        return 2
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
