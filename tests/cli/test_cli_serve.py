"""``incident-tui serve``'s checks before it serves: the host warning and a busy port."""

from __future__ import annotations

import socket

from cli_helpers import Cli, assert_one_line_error

from incident_tui.cli.serve import host_warning, is_loopback


def test_only_loopback_addresses_pass_without_a_warning() -> None:
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"):
        assert is_loopback(host) and host_warning(host) is None
    for host in ("0.0.0.0", "192.168.1.20", "::", "incident-host.example.com"):
        warning = host_warning(host)
        assert warning is not None and "NOT encrypted" in warning and "SSH tunnel" in warning


def test_a_busy_port_is_one_clear_error(cli: Cli) -> None:
    cli("new", "Checkout errors")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert_one_line_error(result, f"cannot listen on 127.0.0.1:{port}")


def test_serve_without_an_open_incident_says_how_to_declare_one(cli: Cli) -> None:
    assert_one_line_error(cli("serve", "--port", "1"), "no open incident", "incident-tui new")
