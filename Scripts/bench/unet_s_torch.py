"""Yardstick: one training step of UNet-S in PyTorch on the CPU.

UNet-S is the benchmark network of the project (see docs/ARCHITECTURE.md):
  e1 = block(1->w), e2 = block(w->2w) after 2x2 max-pool, b = block(2w->4w) after 2x2 max-pool,
  d2 = block(6w->2w) on concat(nearest-upsample(b), e2), d1 = block(3w->w) on concat(up(d2), e1),
  head = 1x1 conv (w->K); block = conv3x3(pad 1)+ReLU, conv3x3(pad 1)+ReLU; w = 16; no normalisation.
Step = forward, CE + L1 label-marginal term (tau = 10, lambda = 1), backward, Adam (lr 1e-3).
Input: batch 8, 1 x size x size (default 64), K = 3; width w (default 16).

Run:  python3 -m venv .venv && .venv/bin/pip install torch
      .venv/bin/python Scripts/bench/unet_s_torch.py [threads [size [width]]]   # default 2 64 16
      (or: marginal bench train-step --python .venv/bin/python, which runs this script)
Prints ms/step and images/s. Compare with the project's own benchmark of the same step,
run right after on the same machine, and quote the ratio, not the absolute time.
"""
import sys, time
import torch, torch.nn as nn, torch.nn.functional as F

torch.manual_seed(0)
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(o, o, 3, padding=1), nn.ReLU(inplace=True))


class UNetS(nn.Module):
    def __init__(self, cin=1, k=3, w=16):
        super().__init__()
        self.e1, self.e2, self.b = block(cin, w), block(w, 2 * w), block(2 * w, 4 * w)
        self.d2, self.d1 = block(6 * w, 2 * w), block(3 * w, w)
        self.head = nn.Conv2d(w, k, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(F.max_pool2d(e1, 2))
        b = self.b(F.max_pool2d(e2, 2))
        d2 = self.d2(torch.cat([F.interpolate(b, scale_factor=2, mode="nearest"), e2], 1))
        d1 = self.d1(torch.cat([F.interpolate(d2, scale_factor=2, mode="nearest"), e1], 1))
        return self.head(d1)


B, K = 8, 3
H = int(sys.argv[2]) if len(sys.argv) > 2 else 64
W = int(sys.argv[3]) if len(sys.argv) > 3 else 16
model = UNetS(k=K, w=W)
opt = torch.optim.Adam(model.parameters(), 1e-3)
x = torch.randn(B, 1, H, H)
y = torch.randint(0, K, (B, H, H))


def step():
    opt.zero_grad()
    z = model(x)
    ce = F.cross_entropy(z, y)
    phat = F.softmax(10 * z, 1).mean((2, 3))
    yhat = F.one_hot(y, K).float().permute(0, 3, 1, 2).mean((2, 3))
    loss = ce + (phat - yhat).abs().mean()
    loss.backward()
    opt.step()


for _ in range(5):
    step()
n = 30
t0 = time.perf_counter()
for _ in range(n):
    step()
dt = (time.perf_counter() - t0) / n
print(f"torch {torch.__version__} threads={threads} unet-s B={B} {H}x{H} K={K} w={W}: "
      f"{dt * 1000:.1f} ms/step, {B / dt:.1f} img/s")
