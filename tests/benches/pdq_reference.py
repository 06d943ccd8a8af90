#!/usr/bin/env python3
"""Times Meta's reference PDQ (the `pdqhash` package on PyPI, which wraps the C++
implementation) on the same images and the same way as `cargo bench --bench mirrors`:
images decoded to 8-bit RGB once, then only hashing timed.

    pip install pdqhash pillow numpy
    python3 tests/benches/pdq_reference.py
"""
import pathlib
import timeit

import numpy as np
import pdqhash
from PIL import Image

IMAGES = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "pdq-vectors" / "images"


def best_of(fn, number):
    return min(timeit.repeat(fn, number=number, repeat=7)) / number


def main():
    files = sorted(IMAGES.iterdir())
    images = [np.asarray(Image.open(f).convert("RGB")) for f in files]
    big = next(i for i in images if i.shape[:2] == (1004, 1600))
    total = best_of(lambda: [pdqhash.compute(i) for i in images], 5)
    print(f"hash all {len(images)} reference images: {total * 1e3:.2f} ms "
          f"({total / len(images) * 1e3:.2f} ms per image)")
    print(f"hash one 1600x1004 image: {best_of(lambda: pdqhash.compute(big), 20) * 1e3:.2f} ms")
    print("eight dihedral hashes of one 1600x1004 image: "
          f"{best_of(lambda: pdqhash.compute_dihedral(big), 20) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
