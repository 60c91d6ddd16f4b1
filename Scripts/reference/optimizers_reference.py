"""Reference values for Tests/MarginalEngineTests/OptimizerTests.swift.

Two updates of one scalar parameter θ = 1 with gradients 0.5 then -1, by PyTorch's own optimisers
(float64), next to the same numbers worked by hand from the update rules. Run:
    /tmp/torchenv/bin/python Scripts/reference/optimizers_reference.py
"""
import math
import torch

torch.set_default_dtype(torch.float64)


def run(make, gradients, scheduler=None):
    p = torch.nn.Parameter(torch.tensor([1.0]))
    opt = make([p])
    sched = scheduler(opt) if scheduler else None
    out = []
    for g in gradients:
        p.grad = torch.tensor([g])
        opt.step()
        if sched:
            sched.step()
        out.append(p.item())
    return out


# SGD, lr 0.1, momentum 0.9, weight decay 0.01, poly decay over 4 steps, power 0.9.
sgd = run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01), [0.5, -1.0],
          lambda o: torch.optim.lr_scheduler.PolynomialLR(o, total_iters=4, power=0.9))
p1 = 1 - 0.1 * (0.5 + 0.01)
m1 = 0.5 + 0.01
g2 = -1 + 0.01 * p1
m2 = 0.9 * m1 + g2
p2 = p1 - 0.1 * 0.75 ** 0.9 * m2
print("sgd torch", repr(sgd[0]), repr(sgd[1]))
print("sgd hand ", repr(p1), repr(p2))

# Adam, lr 0.1, PyTorch defaults.
adam = run(lambda ps: torch.optim.Adam(ps, lr=0.1), [0.5, -1.0])
m, v = 0.1 * 0.5, 0.001 * 0.25
a1 = 1 - (0.1 / (1 - 0.9)) * m / (math.sqrt(v) / math.sqrt(1 - 0.999) + 1e-8)
m = m + 0.1 * (-1 - m)
v = 0.999 * v + 0.001 * 1
a2 = a1 - (0.1 / (1 - 0.9 ** 2)) * m / (math.sqrt(v) / math.sqrt(1 - 0.999 ** 2) + 1e-8)
print("adam torch", repr(adam[0]), repr(adam[1]))
print("adam hand ", repr(a1), repr(a2))
