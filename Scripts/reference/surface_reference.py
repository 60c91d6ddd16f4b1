"""HD95 and NSD of a few fixed binary masks, computed the way MONAI does it, with scipy:
boundary = mask XOR scipy.ndimage.binary_erosion(mask) (default cross structure, outside = 0),
distances by scipy.ndimage.distance_transform_edt of the other mask's boundary's complement,
HD95 = max of the two directed numpy.percentile(..., 95) (linear), NSD at tolerance 1.5 pixels.
Prints Swift lines for Tests/MarginalCoreTests/SurfaceDistanceTests.swift.

Masks (H = 12, W = 15), defined by formulas the test rebuilds:
  "disc":    (r - 5.2)^2 + (c - 6.1)^2 <= 12.5
  "shifted": (r - 6.0)^2 + (c - 8.3)^2 <= 10.0
  "ring":    9 <= (r - 6)^2 + (c - 7)^2 <= 25
  "corner":  r < 4 and c < 5  (touches the image border)
"""
import numpy as np
from scipy.ndimage import binary_erosion, distance_transform_edt

H, W = 12, 15
r, c = np.mgrid[0:H, 0:W]
masks = {
    "disc": (r - 5.2) ** 2 + (c - 6.1) ** 2 <= 12.5,
    "shifted": (r - 6.0) ** 2 + (c - 8.3) ** 2 <= 10.0,
    "ring": ((r - 6) ** 2 + (c - 7) ** 2 >= 9) & ((r - 6) ** 2 + (c - 7) ** 2 <= 25),
    "corner": (r < 4) & (c < 5),
}


def boundary(mask):
    return mask ^ binary_erosion(mask)


def directed(a, b):
    return distance_transform_edt(~boundary(b))[boundary(a)]


for a, b in [("disc", "shifted"), ("disc", "ring"), ("corner", "disc"), ("ring", "shifted")]:
    ab, ba = directed(masks[a], masks[b]), directed(masks[b], masks[a])
    hd95 = max(np.percentile(ab, 95), np.percentile(ba, 95))
    nsd = ((ab <= 1.5).sum() + (ba <= 1.5).sum()) / (len(ab) + len(ba))
    print(f"(\"{a}\", \"{b}\", {float(hd95)!r}, {float(nsd)!r}),")
