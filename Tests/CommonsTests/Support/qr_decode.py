"""Reads a QR code drawn by Commons (an SVG of one path, a rectangle per run of dark modules)
with zxing-cpp, a decoder someone else wrote, and prints the text it holds.

usage: qr_decode.py FILE.svg"""

import re
import sys

import numpy
import zxingcpp

svg = open(sys.argv[1], encoding="utf-8").read()
side = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
path = re.search(r'<path[^>]* d="([^"]*)"', svg).group(1)
scale = 8
image = numpy.full((side * scale, side * scale), 255, dtype=numpy.uint8)
for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", path):
    x, y, width = int(x), int(y), int(width)
    image[y * scale:(y + 1) * scale, x * scale:(x + width) * scale] = 0
results = zxingcpp.read_barcodes(image)
if not results:
    sys.exit("no QR code found")
print(results[0].text, end="")
