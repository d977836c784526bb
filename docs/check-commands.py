#!/usr/bin/env python3
"""Checks that every `stakeward` / `stakewardd` command and flag written in the docs exists.

Usage: docs/check-commands.py BIN_DIR [FILE ...]
  BIN_DIR  folder with the built stakeward and stakewardd (e.g. build/release/bin)
  FILE     files to scan (default: docs/*.md and deploy/stakewardd.service)

It reads commands from fenced code blocks and `inline code` only, walks the subcommands with
`--help`, and checks each --flag against the help of the deepest subcommand found. A word after
a command that looks like a subcommand but is not one is reported too. Exit 1 on any problem.
"""
import glob
import os
import re
import subprocess
import sys

HELP = {}


def run_help(bin_dir, prog, path):
    key = (prog, tuple(path))
    if key not in HELP:
        r = subprocess.run([os.path.join(bin_dir, prog), *path, "--help"],
                           capture_output=True, text=True, check=False)
        HELP[key] = (r.returncode, r.stdout + r.stderr)
    return HELP[key]


def subcommands(help_text):
    subs, on = set(), False
    for line in help_text.splitlines():
        if line.startswith("Subcommands:"):
            on = True
            continue
        if on:
            m = re.match(r"\s+(\S+)\s", line)
            if m:
                subs.add(m.group(1))
            elif not line.strip():
                on = False
    return subs


def code_of(text):
    """Fenced code blocks and inline code spans, with line continuations joined."""
    parts = re.findall(r"```[^\n]*\n(.*?)```", text, re.S)
    rest = re.sub(r"```.*?```", "", text, flags=re.S)
    parts += re.findall(r"`([^`\n]+)`", rest)
    return [p.replace("\\\n", " ") for p in parts]


def check(bin_dir, files):
    problems, flags = 0, 0
    for f in files:
        text = open(f, encoding="utf-8").read()
        chunks = code_of(text) if f.endswith(".md") else [text.replace("\\\n", " ")]
        for chunk in chunks:
            for m in re.finditer(r"(?<![\w/.-])(?:\S*/)?(stakewardd?)\s+([^\n|;#`]*)", chunk):
                prog, toks = m.group(1), m.group(2).split()
                path = []
                while toks[len(path):] and toks[len(path)] in subcommands(
                        run_help(bin_dir, prog, path)[1]):
                    path.append(toks[len(path)])
                rc, help_text = run_help(bin_dir, prog, path)
                where = f"{f}: {prog} {' '.join(path)}".rstrip()
                if rc != 0:
                    print(f"{where}: --help failed")
                    problems += 1
                    continue
                rest = toks[len(path):]
                if (rest and subcommands(help_text)
                        and re.fullmatch(r"[a-z][a-z0-9-]*", rest[0])):
                    print(f"{where}: '{rest[0]}' is not a subcommand")
                    problems += 1
                for tok in rest:
                    if not tok.startswith("--"):
                        continue
                    flag = tok.split("=")[0].rstrip(".,)")
                    flags += 1
                    if not re.search(r"(^|[\s,])" + re.escape(flag) + r"(\s|$|,|=)",
                                     help_text, re.M):
                        print(f"{where}: unknown flag {flag}")
                        problems += 1
    print(f"{flags} flags checked, {problems} problem(s)")
    return problems


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = sys.argv[2:] or (sorted(glob.glob(os.path.join(root, "docs", "*.md")))
                             + [os.path.join(root, "deploy", "stakewardd.service")])
    return 1 if check(sys.argv[1], files) else 0


if __name__ == "__main__":
    sys.exit(main())
