"""``incident-tui serve``: the app in a browser for everyone on the call.

aiohttp and textual-serve are imported when the command runs, never for ``log`` or the app.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
import tempfile
from pathlib import Path

import click

from incident_tui.cli.session import incident_option, session
from incident_tui.core.errors import StoreError


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_warning(host: str) -> str | None:
    """The warning printed before serving on an address other machines can reach."""
    if is_loopback(host):
        return None
    return (
        f"warning: listening on {host}: the call's traffic, links included, is NOT "
        "encrypted. Prefer the default 127.0.0.1 and an SSH tunnel (see the README)."
    )


def check_port(host: str, port: int) -> None:
    """Fail with one clear line when the port cannot be bound (in use, or not ours)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


@click.command()
@incident_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback sends the call unencrypted.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--demo", is_flag=True, help="Serve a throwaway demo incident (nothing is kept).")
def serve(incident_id: str | None, host: str, port: int, demo: bool) -> None:
    """Serve the app to browsers: prints a writer link and a read-only viewer link.

    Each tab runs its own app on this machine, on the same data dir; a request without one
    of the two links' tokens gets 403. Ctrl+C stops the server and every app it started.
    """
    if not demo:
        store = session().store
        run_server(store.data_dir, store.resolve_id(incident_id), host, port)
        return
    from incident_tui.cli.session import make_clock
    from incident_tui.core.demo import seed_demo
    from incident_tui.core.store import IncidentStore

    path = Path(tempfile.mkdtemp(prefix="incident-tui-demo-"))
    try:
        seeded = seed_demo(IncidentStore(path, clock=make_clock()))
        run_server(path, seeded.id, host, port)
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run_server(data_dir: Path, chosen: str, host: str, port: int) -> None:
    """Print the links and serve ``chosen`` until Ctrl+C."""
    try:
        from incident_tui.serve.access import Access
        from incident_tui.serve.server import IncidentServer
    except ImportError as exc:
        raise StoreError(f"serving needs textual-serve: {exc}") from None
    check_port(host, port)
    server = IncidentServer(data_dir.resolve(), chosen, host=host, port=port)
    warning = host_warning(host)
    if warning:
        click.echo(warning, err=True)
    click.echo(f"Serving {chosen} on {server.public_url} (Ctrl+C stops it and every tab's app)")
    click.echo(f"writer link (can type):  {server.link(Access.WRITER)}")
    click.echo(f"viewer link (read-only): {server.link(Access.VIEWER)}")
    click.echo("Add &name=NAME to a link to skip the name question.", nl=True)
    server.run()
