"""What the code says, read from the source, for the deployment checks (checks.py).

Only the standard library and light imports: the facts are read from the source files
(AST, text), so that the checks follow the code as it changes.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from functools import cache
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
CODE_PACKAGES = ("bot", "channels", "actions")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*[A-Z0-9]$")
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _python_files(root: Path = REPO):
    for package in CODE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _module_constants(tree: ast.Module) -> dict[str, str]:
    """`NAME = "text"` at the top of a module."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


@cache
def environment_names() -> frozenset[str]:
    """Every name the code may read from the environment: each upper-case string literal
    of bot/, channels/, actions/ (the names given to os.environ, _env, _env_or_file,
    read_secret, the Telegram table...) and each ${NAME} of endpoints.production.yml."""
    names: set[str] = set()
    for path in _python_files():
        for node in ast.walk(_tree(path)):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _ENV_NAME.match(node.value)
            ):
                names.add(node.value)
    names |= set(endpoint_placeholders())
    return frozenset(names)


@cache
def endpoint_placeholders(file_name: str = "endpoints.production.yml") -> tuple[str, ...]:
    """The ${NAME} Rasa substitutes from its environment in an endpoints file (in its
    values; its comments may name placeholders too)."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.update(_PLACEHOLDER.findall(value))

    walk(yaml.safe_load((REPO / file_name).read_text()))
    return tuple(sorted(found))


_SECRET_READERS = {"read_secret", "_env_or_file"}


@cache
def secrets_read_by_code() -> dict[str, str]:
    """Secret name -> the file that reads it with read_secret or _env_or_file (names given
    as a literal or as a module constant; a name passed in a variable is not followed)."""
    found: dict[str, str] = {}
    for path in _python_files():
        tree = _tree(path)
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            function = node.func
            called = function.id if isinstance(function, ast.Name) else None
            if isinstance(function, ast.Attribute):
                called = function.attr
            if called not in _SECRET_READERS:
                continue
            first = node.args[0]
            name = None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                name = first.value
            elif isinstance(first, ast.Name):
                name = constants.get(first.id)
            if name:
                found.setdefault(name, str(path.relative_to(REPO)))
    return found


@cache
def settings_defaults() -> dict[str, str]:
    """`_env("NAME", "default")` in bot/settings.py: name -> embedded default."""
    defaults: dict[str, str] = {}
    for node in ast.walk(_tree(REPO / "bot" / "settings.py")):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_env", "_env_or_file")
            and len(node.args) == 2
            and all(isinstance(arg, ast.Constant) for arg in node.args)
        ):
            name, default = (arg.value for arg in node.args)
            if defaults.setdefault(name, default) != default:
                raise AssertionError(f"bot/settings.py gives {name} two defaults")
    return defaults


def constant_of(relative_path: str, name: str) -> str:
    """A module-level string constant, read from the source without importing it."""
    constants = _module_constants(_tree(REPO / relative_path))
    if name not in constants:
        raise AssertionError(f"{relative_path} has no constant {name}")
    return constants[name]


@cache
def console_get_routes() -> frozenset[str]:
    """The paths of `app.router.add_get(...)` in bot/console/routes.py."""
    paths = set()
    for node in ast.walk(_tree(REPO / "bot" / "console" / "routes.py")):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            paths.add(node.args[0].value)
    return frozenset(paths)


@cache
def action_server_open_paths() -> tuple[str, ...]:
    """The paths the action server answers without ACTION_SERVER_SECRET."""
    tree = _tree(REPO / "bot" / "ops" / "shared_secret.py")
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "OPEN_PATHS" for t in node.targets)
            and isinstance(node.value, ast.Tuple | ast.List)
        ):
            return tuple(element.value for element in node.value.elts)
    raise AssertionError("bot/ops/shared_secret.py has no OPEN_PATHS")


def action_server_routes() -> frozenset[str]:
    """`/health` and the other routes of rasa-sdk's app, plus /nlg (bot/ops/action_server.py)."""
    spec = importlib.util.find_spec("rasa_sdk.endpoint")
    source = Path(spec.origin).read_text()
    paths = set(re.findall(r'@app\.(?:get|post)\("([^"]+)"', source))
    own = (REPO / "bot" / "ops" / "action_server.py").read_text()
    return frozenset(paths | set(re.findall(r'@app\.(?:get|post)\("([^"]+)"', own)))


@cache
def rasa_get_routes() -> dict[str, bool]:
    """The GET routes of Rasa's server (rasa/server.py): path -> whether it needs the token."""
    spec = importlib.util.find_spec("rasa")
    source = (Path(spec.origin).parent / "server.py").read_text()
    routes = {}
    for match in re.finditer(r'@app\.get\("([^"]*)"\)\n((?:\s*@.*\n)*)\s*async def', source):
        routes[match.group(1)] = "requires_auth" in match.group(2)
    return routes


def rasa_open_routes() -> frozenset[str]:
    return frozenset(path for path, token in rasa_get_routes().items() if not token)


def model_file() -> str:
    """What `make train` writes: models/<MODEL_NAME>.tar.gz (bot/ops/cli.py)."""
    return f"models/{constant_of('bot/ops/cli.py', 'MODEL_NAME')}.tar.gz"


def socketio_path() -> str:
    """The widget's socket.io path: credentials.yml's, else the channel's default."""
    credentials = yaml.safe_load((REPO / "credentials.yml").read_text()) or {}
    configured = (credentials.get("channels.webchat.WebchatSocketIO") or {}).get("socketio_path")
    if configured:
        return configured
    source = (REPO / "channels" / "webchat" / "socketio_channel.py").read_text()
    return re.search(r'socketio_path: str = "([^"]+)"', source).group(1)


def runtime_packages() -> frozenset[str]:
    """Top-level packages the servers import by name from their configuration files:
    channels (credentials.yml), tracker store (endpoints*.yml), components (config.yml),
    and rasa-sdk's `actions` package."""
    packages = {"actions"}
    credentials = yaml.safe_load((REPO / "credentials.yml").read_text()) or {}
    packages |= {key.split(".")[0] for key in credentials if "." in key}
    for name in ("endpoints.yml", "endpoints.production.yml"):
        endpoints = yaml.safe_load((REPO / name).read_text()) or {}
        for section in endpoints.values():
            if isinstance(section, dict) and "." in str(section.get("type", "")):
                packages.add(str(section["type"]).split(".")[0])
    config = yaml.safe_load((REPO / "config.yml").read_text()) or {}
    for item in (config.get("pipeline") or []) + (config.get("policies") or []):
        if "." in str(item.get("name", "")):
            packages.add(str(item["name"]).split(".")[0])
    return frozenset(packages)
