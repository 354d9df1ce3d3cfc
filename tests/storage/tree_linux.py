#!/usr/bin/env python3
"""storage.tree-linux: ext2_tree.c (the guest's tree writer and manifest,
run here under Linux through qemu-riscv64) and tree_spec.py (the host's
copy) must agree, so the storage tree tests compare Rivet with a correct
expectation.

    tree_linux.py QEMU_RISCV64 EXT2_TREE WORKDIR
"""
import os
import difflib
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import tree_spec  # noqa: E402


def main():
    qemu, tool, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    by_c, by_py = f"{work}/c", f"{work}/py"
    p = subprocess.run([qemu, tool, "write", by_c], capture_output=True, text=True, timeout=240)
    if p.returncode:
        print(f"FAIL: ext2_tree write under Linux exited {p.returncode}: {p.stderr}")
        return 1
    p = subprocess.run([qemu, tool, "manifest", by_c], capture_output=True, text=True,
                       timeout=240)
    if p.returncode:
        print(f"FAIL: ext2_tree manifest under Linux exited {p.returncode}: {p.stderr}")
        return 1
    tree_spec.write_tree(by_py)
    checks = [("ext2_tree manifest = tree_spec.manifest of the same tree",
               p.stdout, tree_spec.manifest(by_c)),
              ("ext2_tree write = tree_spec.write_tree", tree_spec.manifest(by_c),
               tree_spec.manifest(by_py))]
    failed = 0
    for what, a, b in checks:
        if a != b:
            failed += 1
            print(f"FAIL: {what}")
            diff = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
            print("\n".join(list(diff)[:60]))
        else:
            print(f"ok: {what} ({len(a.splitlines())} names)")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
