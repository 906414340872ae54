"""Snapshots: a second start with the same files reads back what the first one built, and
nothing else is ever read back (other files, other code, a broken or foreign file)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mockpost.calls.call import Call
from mockpost.matching.match import match
from mockpost.runtime import snapshot
from mockpost.runtime.snapshot import KEEP, SUFFIX, Snapshots
from mockpost.runtime.startup import load
from tests.conftest import EXAMPLE, collection, environment, example, http_get, item, running_cli

DATA = collection(
    item("user", example("one", "{{baseUrl}}/users/{{id}}", body='{"id": "{{id}}"}')),
    item("list", example("all", "{{baseUrl}}/users?page=2", body="[]")),
    item("teapot", example("brew", "{{baseUrl}}/brew", method="POST", code=418, body="no")),
    variables={"baseUrl": "https://api.test/v1"},
)


@pytest.fixture
def files(write_json: Callable[..., Path]) -> tuple[Path, Path]:
    return write_json(DATA), write_json(environment({"id": "7"}), "env.json")


def answers(loaded: Any) -> list[str | None]:
    """Which example answers a few calls: what a snapshot must not change."""
    _, _, index = loaded
    calls = [
        Call(method="GET", path="/v1/users/7"),
        Call(method="GET", path="/v1/users", query=(("page", "2"),)),
        Call(method="POST", path="/v1/brew"),
        Call(method="GET", path="/nowhere"),
    ]
    return [(d.example.id if (d := match(index, c)).example else None) for c in calls]


def kept_once(files: tuple[Path, Path], directory: Path) -> tuple[Snapshots, Any]:
    """A first load of the files, its snapshot written into `directory` (in this process)."""
    snapshots = Snapshots(directory, detach=False)
    loaded = load(*files, snapshots=snapshots)
    snapshots.write_kept()
    return snapshots, loaded


def snapshot_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"*{SUFFIX}"))


def test_a_second_load_of_the_same_files_reads_back_what_the_first_built(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    first_snapshots = Snapshots(tmp_path / "cache", detach=False)
    first = load(*files, snapshots=first_snapshots)
    assert not first_snapshots.read_back
    first_snapshots.write_kept()
    assert len(snapshot_files(tmp_path / "cache")) == 1

    again = Snapshots(tmp_path / "cache", detach=False)
    second = load(*files, snapshots=again)
    assert again.read_back
    assert answers(second) == answers(first)
    assert answers(first)[:3] == [e.id for e in first[2].examples]
    assert second[0].name == first[0].name
    assert second[1] is not None
    assert dict(second[1].values) == {"id": "7"}
    assert [r.name for r in second[0].requests] == ["user", "list", "teapot"]


def test_other_bytes_in_either_file_are_loaded_from_the_file(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    snapshots, _ = kept_once(files, tmp_path)
    collection_file, environment_file = files
    environment_file.write_text(environment_file.read_text().replace('"7"', '"8"'))
    changed = load(*files, snapshots=snapshots)
    assert not snapshots.read_back
    assert changed[2].examples[0].path.text == "/v1/users/8"
    alone = load(collection_file, None, snapshots=snapshots)  # no environment: other files
    assert not snapshots.read_back
    assert alone[2].examples[0].path.text == "/v1/users/{{id}}"


def test_a_snapshot_of_other_code_is_never_read(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots, _ = kept_once(files, tmp_path)
    monkeypatch.setattr(snapshot, "code_fingerprint", lambda: b"another mockpost")
    load(*files, snapshots=snapshots)
    assert not snapshots.read_back


def test_a_broken_snapshot_is_deleted_and_the_files_are_loaded(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    snapshots, first = kept_once(files, tmp_path)
    expected = answers(first)
    (kept,) = snapshot_files(tmp_path)
    kept.write_bytes(kept.read_bytes()[:1000])  # cut short, as a full disk would leave it
    assert answers(load(*files, snapshots=snapshots)) == expected
    assert not snapshots.read_back
    assert not kept.exists()


def test_nothing_is_read_from_a_directory_others_may_write_to(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    snapshots, _ = kept_once(files, tmp_path / "cache")
    (tmp_path / "cache").chmod(0o777)
    load(*files, snapshots=snapshots)
    assert not snapshots.read_back


def test_a_snapshot_others_may_write_or_a_link_is_never_read(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    snapshots, _ = kept_once(files, tmp_path / "cache")
    (kept,) = snapshot_files(tmp_path / "cache")
    kept.chmod(0o666)
    load(*files, snapshots=snapshots)
    assert not snapshots.read_back
    assert kept.exists()  # not ours to delete: it is left alone

    elsewhere = tmp_path / "elsewhere"
    kept.chmod(0o600)
    kept.rename(elsewhere)
    kept.symlink_to(elsewhere)
    load(*files, snapshots=snapshots)
    assert not snapshots.read_back

    (tmp_path / "cache").chmod(0o757)  # a directory others may write to: not even made use of
    kept.unlink()
    load(*files, snapshots=snapshots)
    snapshots.write_kept()
    assert snapshot_files(tmp_path / "cache") == []


def test_only_the_newest_snapshots_are_kept(tmp_path: Path) -> None:
    snapshots = Snapshots(tmp_path, detach=False)
    for n in range(KEEP + 3):
        snapshots.write(f"{n:064x}", {"n": n})
        os.utime(tmp_path / f"{n:064x}{SUFFIX}", ns=(n * 10**9, n * 10**9))
    kept = snapshot_files(tmp_path)
    assert len(kept) == KEEP
    assert snapshots.read(f"{KEEP + 2:064x}") == {"n": KEEP + 2}
    assert snapshots.read(f"{0:064x}") is None


def wait_for_snapshot(directory: Path, timeout: float = 60) -> list[Path]:
    """The snapshot another process writes: polled, as nothing else tells when it is done."""
    deadline = time.monotonic() + timeout
    while not (found := snapshot_files(directory)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def test_serve_starts_again_from_the_snapshot_of_its_first_start_and_says_so(
    tmp_path: Path,
) -> None:
    env = {"MOCKPOST_NO_CACHE": "", "MOCKPOST_CACHE_DIR": str(tmp_path / "cache")}
    with running_cli(str(EXAMPLE), env=env) as cli:
        first = http_get(cli.url + "/v1/users/1")
        assert "snapshot" not in cli.banner
        cli.stop()
        # The detached writer holds none of mockpost's output open: its reader saw the end.
        assert not cli._reader.is_alive()
    assert len(wait_for_snapshot(tmp_path / "cache")) == 1
    assert oct((tmp_path / "cache").stat().st_mode & 0o777) == "0o700"
    with running_cli(str(EXAMPLE), env=env) as cli:
        assert "read back from the snapshot" in cli.banner
        assert http_get(cli.url + "/v1/users/1") == first


def test_serve_with_no_cache_keeps_no_snapshot(tmp_path: Path) -> None:
    env = {"MOCKPOST_NO_CACHE": "", "MOCKPOST_CACHE_DIR": str(tmp_path / "cache")}
    with running_cli(str(EXAMPLE), "--no-cache", env=env) as cli:
        cli.stop()
    with running_cli(str(EXAMPLE), env=env) as cli:
        assert "snapshot" not in cli.banner  # the first kept none to read back


def test_a_file_a_killed_writer_left_goes_once_it_is_old(tmp_path: Path) -> None:
    snapshots = Snapshots(tmp_path, detach=False)
    left = tmp_path / "abc.tmp"
    fresh = tmp_path / "def.tmp"
    left.write_bytes(b"half a snapshot")
    fresh.write_bytes(b"being written")
    os.utime(left, (time.time() - snapshot.STALE - 1,) * 2)
    snapshots.write("0" * 64, {"n": 1})
    assert not left.exists()
    assert fresh.exists()  # another writer's, perhaps still at work
