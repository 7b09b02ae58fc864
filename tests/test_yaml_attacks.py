"""YAML that attacks the checker: each attack ends with exit 1 and one located message.

A policy file arrives in a pull request, so `python -m calculators check` must survive whatever
one holds: self-referencing aliases, alias bombs, nesting deep enough to crash the parsers, links
to files outside the policy folder or to devices, huge files, bytes that are not UTF-8, and YAML
tags. Each test lays one hostile file over a copy of policies/ and runs the real CLI in a child
process capped at 1 GiB of address space and 20 seconds: those caps are safety nets that turn a
runaway into a failure (before the loader defended itself, the alias bomb grew to 6 GB and deep
nesting segfaulted), not timing assertions.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policy_loader.yaml_source import MAX_DEPTH, MAX_FILE_BYTES
from testsupport.checkout import POLICIES, ROOT

MEMORY_CAP = 1 << 30
TIME_CAP_SECONDS = 20

ALIASES_REFUSED = "YAML anchors and aliases (&name, *name) are not allowed in policy files; write each value out in full"
TOO_DEEP = f"lists and mappings nested more than {MAX_DEPTH} levels deep; policy files need far fewer"
OUTSIDE = "a symbolic link to a file outside the policy folder; only files inside the policy folder are read"
NOT_REGULAR = "not a regular file (a pipe, device or folder); a policy file is a plain text file"


def policy_copy(tmp_path: Path) -> Path:
    tree = tmp_path / "policies"
    shutil.copytree(POLICIES, tree)
    return tree


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def check_capped(tree: Path) -> tuple[int, str, str]:
    """Run the CLI's check on `tree` in a capped child; (exit code, stdout without the tree's path, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "calculators", "check", str(tree)], cwd=ROOT,
                          capture_output=True, text=True, errors="replace", timeout=TIME_CAP_SECONDS,
                          preexec_fn=_capped)
    return proc.returncode, proc.stdout.replace(f"{tree}/", ""), proc.stderr


def assert_refused(tree: Path, expected_line: str) -> str:
    code, printed, stderr = check_capped(tree)
    assert (code, printed) == (1, expected_line + "\n"), stderr[-2000:]
    assert "Traceback" not in stderr
    return printed + stderr


# ---------------------------------------------------------------------------------------------
# Aliases and nesting: the parsers' own weaknesses
# ---------------------------------------------------------------------------------------------


def test_a_list_that_contains_itself(tmp_path):
    tree = policy_copy(tmp_path)
    (tree / "fees" / "loop.yaml").write_text("a: &a [*a]\n", encoding="utf-8")
    assert_refused(tree, f"fees/loop.yaml:1:4: {ALIASES_REFUSED}")


def test_a_billion_laughs_alias_bomb(tmp_path):
    tree = policy_copy(tmp_path)
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):  # 10**9 strings once expanded
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 10) + "]")
    (tree / "fees" / "laughs.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_refused(tree, f"fees/laughs.yaml:1:7: {ALIASES_REFUSED}")


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_deeply_nested_lists(tmp_path, depth):
    """5,000 levels raised RecursionError; 50,000 segfaulted inside libyaml's composer."""
    tree = policy_copy(tmp_path)
    (tree / "fees" / "deep.yaml").write_text("a: " + "[" * depth + "\n", encoding="utf-8")
    # The top-level mapping is level 1, so the list that goes one level too deep opens at column
    # 4 + MAX_DEPTH - 1.
    assert_refused(tree, f"fees/deep.yaml:1:{3 + MAX_DEPTH}: {TOO_DEEP}")


def test_deeply_nested_block_mappings(tmp_path):
    tree = policy_copy(tmp_path)
    text = "".join(" " * level + f"k{level}:\n" for level in range(1_000)) + " " * 1_000 + "end\n"
    (tree / "fees" / "deep.yaml").write_text(text, encoding="utf-8")
    assert_refused(tree, f"fees/deep.yaml:{MAX_DEPTH + 1}:{MAX_DEPTH + 1}: {TOO_DEEP}")


# ---------------------------------------------------------------------------------------------
# What is read: regular files inside the folder, of bounded size, in UTF-8
# ---------------------------------------------------------------------------------------------


def test_a_link_to_a_secret_outside_is_refused_without_echoing_it(tmp_path):
    tree = policy_copy(tmp_path)
    (tree / "fees" / "leak.yaml").symlink_to("/etc/passwd")
    shown = assert_refused(tree, f"fees/leak.yaml:1:1: {OUTSIDE}")
    assert "root:" not in shown


def test_a_relative_link_out_of_the_folder_is_refused(tmp_path):
    tree = policy_copy(tmp_path)
    (tmp_path / "secret.yaml").write_text("title: SECRET-TOKEN\n", encoding="utf-8")
    (tree / "fees" / "leak.yaml").symlink_to("../../secret.yaml")
    shown = assert_refused(tree, f"fees/leak.yaml:1:1: {OUTSIDE}")
    assert "SECRET-TOKEN" not in shown


def test_a_link_to_dev_zero_is_refused_without_reading_it(tmp_path):
    tree = policy_copy(tmp_path)
    (tree / "fees" / "zero.yaml").symlink_to("/dev/zero")
    assert_refused(tree, f"fees/zero.yaml:1:1: {OUTSIDE}")


def test_a_catalogue_file_linked_to_dev_zero_is_refused_not_missing(tmp_path):
    tree = policy_copy(tmp_path)
    (tree / "catalogue" / "terms.yaml").unlink()
    (tree / "catalogue" / "terms.yaml").symlink_to("/dev/zero")
    assert_refused(tree, f"catalogue/terms.yaml:1:1: {OUTSIDE}")


def test_a_pipe_inside_the_folder_is_refused_without_blocking(tmp_path):
    """Opening a pipe for reading waits for a writer that never comes; it is refused unopened."""
    tree = policy_copy(tmp_path)
    os.mkfifo(tree / "fees" / "pipe.yaml")
    assert_refused(tree, f"fees/pipe.yaml:1:1: {NOT_REGULAR}")


def test_a_link_to_a_pipe_inside_the_folder_is_refused(tmp_path):
    tree = policy_copy(tmp_path)
    os.mkfifo(tree / "fees" / "pipe.fifo")  # not .yaml: only reached through the link
    (tree / "fees" / "piped.yaml").symlink_to("pipe.fifo")
    assert_refused(tree, f"fees/piped.yaml:1:1: {NOT_REGULAR}")


def test_a_dangling_link_is_a_message(tmp_path):
    tree = policy_copy(tmp_path)
    (tree / "fees" / "gone.yaml").symlink_to("nowhere.yaml")
    assert_refused(tree, "fees/gone.yaml:1:1: cannot be read: a symbolic link that leads nowhere")


def test_a_link_to_a_file_inside_the_folder_is_read(tmp_path):
    """Links are not refused as such: one that stays inside the folder reads the file it names."""
    tree = policy_copy(tmp_path)
    refund = tree / "fees" / "refund.yaml"
    refund.rename(tree / "fees" / "refund.yaml.txt")  # not .yaml: not a topic of its own
    refund.symlink_to("refund.yaml.txt")
    code, printed, stderr = check_capped(tree)
    assert code == 0 and printed.startswith("ok: 12 topics"), printed + stderr


def test_a_file_over_the_size_limit(tmp_path):
    tree = policy_copy(tmp_path)
    (tree / "fees" / "huge.yaml").write_text("title: {en: x}\n" + "#" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    assert_refused(tree, "fees/huge.yaml:1:1: the file is larger than 1 MiB; a policy file is a few kilobytes")


def test_a_file_that_is_not_utf8_names_the_byte_and_its_place(tmp_path):
    tree = policy_copy(tmp_path)
    listings = tree / "staying" / "listings.yaml"
    lines = listings.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = "title: {en: Listing limits caf\u00e9}\n"  # written in Latin-1 below: é is the lone byte 0xe9
    raw_before = "".join(lines[:1]).encode("utf-8")
    # Only this line is Latin-1: the rest holds Chinese, which Latin-1 cannot encode.
    listings.write_bytes(raw_before + lines[1].encode("latin-1") + "".join(lines[2:]).encode("utf-8"))
    offset = len(raw_before) + len("title: {en: Listing limits caf")
    assert_refused(tree, f"staying/listings.yaml:2:31: not UTF-8 text (byte 0xe9 at offset {offset}); "
                         "save the file as UTF-8")


# ---------------------------------------------------------------------------------------------
# Tags
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!foo", "!!str"])
def test_yaml_tags_are_refused(tmp_path, tag):
    """A tag is refused, not dropped silently: `!!python/object/apply:os.system [...]` must not read as a list."""
    tree = policy_copy(tmp_path)
    listings = tree / "staying" / "listings.yaml"
    text = listings.read_text(encoding="utf-8").replace("title: {en: Listing limits, zh: 商品发布数量上限}",
                                                        f"title: {tag} ['touch {tmp_path}/pwned']", 1)
    listings.write_text(text, encoding="utf-8")
    assert_refused(tree, "staying/listings.yaml:2:8: YAML tags are not allowed in policy files")
    assert not (tmp_path / "pwned").exists()
