"""The agency client never sends personal data in clear text over the network, and
production never runs on the sandbox's credentials."""

from __future__ import annotations

import dataclasses

import pytest

from bot.agency.client import AgencyClient
from bot.agency.endpoint_checks import (
    UnsafeAgencyConfiguration,
    check_base_url,
    check_production_credentials,
)
from bot.settings import load_settings


@pytest.mark.parametrize(
    "url",
    ["https://api.vdab.be", "http://127.0.0.1:8088", "http://localhost:8088/", "http://[::1]:80"],
)
def test_https_or_this_machine_is_accepted(url):
    check_base_url(url)
    assert AgencyClient(url, "id", "secret").base_url == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    ["http://api.vdab.be", "http://10.0.0.5:8088", "ftp://api.vdab.be", "api.vdab.be", ""],
)
def test_plain_http_to_another_machine_is_refused(url):
    with pytest.raises(UnsafeAgencyConfiguration):
        AgencyClient(url, "id", "secret")


def production(**changes):
    return dataclasses.replace(load_settings(), environment="production", **changes)


def test_production_refuses_the_sandbox_credentials():
    with pytest.raises(UnsafeAgencyConfiguration, match="AGENCY_CLIENT_SECRET"):
        check_production_credentials(production(agency_api_url="https://api.vdab.be"))


def test_production_refuses_the_local_sandbox():
    with pytest.raises(UnsafeAgencyConfiguration, match="sandbox"):
        check_production_credentials(
            production(agency_api_url="http://127.0.0.1:8088", agency_client_secret="real")
        )


def test_production_with_real_credentials_starts():
    check_production_credentials(
        production(agency_api_url="https://api.vdab.be", agency_client_secret="real")
    )


def test_locally_the_sandbox_is_fine():
    check_production_credentials(load_settings())
