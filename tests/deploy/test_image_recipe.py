"""deploy/Dockerfile and .dockerignore, checked without Docker (no engine runs here):
the base image, the pinned install, a non-root user, no secret, every COPY source present
and inside the build context, the ports, the files the servers read at run time."""

from __future__ import annotations

import pytest

from tests.deploy import checks
from tests.deploy.checks import IMAGE_CHECKS, image_model_path


@pytest.mark.parametrize("check", IMAGE_CHECKS, ids=lambda check: check.__name__)
def test_the_image_recipe_matches_the_repository(deployment, check):
    assert check(deployment) == []


def test_the_model_is_copied_where_the_rasa_pods_load_it(deployment):
    assert image_model_path(deployment.dockerfile) == "/app/models/assistant.tar.gz"


BROKEN = [
    ("deploy/Dockerfile", "COPY data/ data/", "COPY dataset/ data/", "COPY dataset: no such file"),
    (
        "deploy/Dockerfile",
        "COPY channels/ channels/\n",
        "",
        "the servers need channels, which is not copied",
    ),
    ("deploy/Dockerfile", "USER 10001:10001", "USER root", "numeric non-root USER"),
    (
        "deploy/Dockerfile",
        "ARG PYTHON_IMAGE=python:3.10-slim",
        "ARG PYTHON_IMAGE=python:3.12-slim",
        "python:3.12-slim is not python:3.10-slim",
    ),
    (
        "deploy/Dockerfile",
        "    MPLCONFIGDIR=/tmp/matplotlib",
        "    MPLCONFIGDIR=/tmp/matplotlib \\\n    RASA_API_TOKEN=abc",
        "RASA_API_TOKEN would bake a secret into the image",
    ),
    (
        "deploy/Dockerfile",
        "-c /tmp/dependencies/constraints.txt",
        "",
        "-r requirements.txt -c constraints.txt",
    ),
    (
        "deploy/Dockerfile",
        "ARG MODEL=models/assistant.tar.gz",
        "ARG MODEL=models/latest.tar.gz",
        "is not what `make train` writes",
    ),
    (".dockerignore", "!data/\n", "", "leaves out data"),
    (".dockerignore", "**/.env.*\n", "**/.env.*\n!var/\n", "var/rasa-api-token must stay out"),
]


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"), BROKEN, ids=[c[3][:40] for c in BROKEN]
)
def test_the_image_checks_find_a_broken_recipe(broken_copy, relative, old, new, expected):
    broken = broken_copy(relative, old, new)
    problems = [problem for check in IMAGE_CHECKS for problem in check(broken)]
    assert any(expected in problem for problem in problems), problems


def test_a_wrong_expose_is_found(broken_copy):
    broken = broken_copy("deploy/Dockerfile", "EXPOSE 5005 5055 5006", "EXPOSE 5005 5055")
    assert any("EXPOSE [5005, 5055] must be" in p for p in checks.check_ports(broken))
