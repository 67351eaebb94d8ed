#!/usr/bin/env python3
"""Puts a section into bench/RESULTS.md in place of the one of the same name, at the end:
the section is the text between `<!-- NAME: ... -->` and `<!-- /NAME -->`, which bench/run.sh
keeps when it rewrites the file. Used by bench/mail.sh, bench/scale.sh and bench/crowd.sh.

    bench/results-section.py NAME "SECTION TEXT"
"""
import os
import re
import sys

name, section = sys.argv[1], sys.argv[2]
path = "bench/RESULTS.md"
text = open(path).read() if os.path.exists(path) else ""
text = re.sub(r"\n*<!-- " + re.escape(name) + r":.*?<!-- /" + re.escape(name) + r" -->\n?", "\n", text, flags=re.S).strip("\n")
open(path, "w").write((text + "\n\n" if text else "") + section + "\n")
