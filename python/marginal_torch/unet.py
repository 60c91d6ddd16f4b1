"""UNet-S, MarginalEngine's network (Sources/MarginalEngine/UNetS.swift), as a PyTorch module,
initialised from a seed exactly as marginal initialises it. With block(i→o) = conv3×3(pad 1)+ReLU,
conv3×3(pad 1)+ReLU:

    e1 = block(C→w)(x)                       [B, w, H, W]
    e2 = block(w→2w)(maxpool2(e1))           [B, 2w, H/2, W/2]
    b  = block(2w→4w)(maxpool2(e2))          [B, 4w, H/4, W/4]
    d2 = block(6w→2w)(cat(up2(b), e2))       [B, 2w, H/2, W/2]     up2: nearest 2× upsampling
    d1 = block(3w→w)(cat(up2(d2), e1))       [B, w, H, W]
    logits = conv1×1(w→K)(d1)                [B, K, H, W]

H and W multiples of 4; no normalisation layers. Initialisation (Conv2d.swift, heNormal): one
SeededRandom(seed) for the whole network, the convolutions in forward order (e1a, e1b, e2a, e2b,
ba, bb, d2a, d2b, d1a, d1b, head), each weight [O, I, k, k] in row-major order drawn as
√(2 / (I·k²)) · normal() (Box–Muller, in float64, then rounded to float32); biases 0.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .seeded import SeededRandom

LAYERS = ("e1a", "e1b", "e2a", "e2b", "ba", "bb", "d2a", "d2b", "d1a", "d1b", "head")


class UNetS(nn.Module):
    def __init__(self, input_channels=1, classes=2, width=16, seed=1):
        super().__init__()
        if input_channels <= 0 or classes < 1 or width <= 0:
            raise ValueError("UNet-S needs C > 0, K ≥ 1, w > 0")
        w = width
        shapes = [(input_channels, w, 3), (w, w, 3), (w, 2 * w, 3), (2 * w, 2 * w, 3), (2 * w, 4 * w, 3),
                  (4 * w, 4 * w, 3), (6 * w, 2 * w, 3), (2 * w, 2 * w, 3), (3 * w, w, 3), (w, w, 3), (w, classes, 1)]
        for name, (i, o, k) in zip(LAYERS, shapes):
            self.add_module(name, nn.Conv2d(i, o, k, padding=k // 2))
        self.input_channels, self.classes, self.width = input_channels, classes, width
        self.initialise(seed)

    @torch.no_grad()
    def initialise(self, seed):
        """marginal's He-normal weights for `seed` and zero biases (see the module's doc)."""
        random = SeededRandom(seed)
        for name in LAYERS:
            conv = getattr(self, name)
            fan_in = conv.weight[0].numel()
            values = (2.0 / fan_in) ** 0.5 * random.normals(conv.weight.numel())
            conv.weight.copy_(torch.from_numpy(values).reshape(conv.weight.shape))
            conv.bias.zero_()

    def forward(self, x):
        if x.dim() != 4 or x.shape[1] != self.input_channels or x.shape[2] % 4 or x.shape[3] % 4 or x.shape[2] == 0:
            raise ValueError(f"UNet-S takes images [B, {self.input_channels}, H, W] with H and W positive "
                             f"multiples of 4, got {list(x.shape)}")
        block = lambda a, b, t: F.relu(b(F.relu(a(t))))  # noqa: E731
        e1 = block(self.e1a, self.e1b, x)
        e2 = block(self.e2a, self.e2b, F.max_pool2d(e1, 2))
        bottom = block(self.ba, self.bb, F.max_pool2d(e2, 2))
        d2 = block(self.d2a, self.d2b, torch.cat([F.interpolate(bottom, scale_factor=2, mode="nearest"), e2], 1))
        d1 = block(self.d1a, self.d1b, torch.cat([F.interpolate(d2, scale_factor=2, mode="nearest"), e1], 1))
        return self.head(d1)
