"""PyTorch reference for `npm run bench`: the same MLPs, data shape, batch, optimizer and FLOP formula, on the CPU.

Not a dependency of scalebench: bench/index.ts runs this only where /usr/bin/python3 can import torch
(Debian: apt-get install python3-torch libopenblas0-pthread), so the ratio to PyTorch is measured in the same run.
Usage: python3 bench/pytorch.py '<json: {"configs": [[width, depth], ...], "features": 64, "classes": 10,
        "examples": 4096, "batch": 128, "epochs": 2, "threads": 2}>'
Prints one JSON line per configuration: {"width", "depth", "params", "train_time_s", "gflops"}, where train_time_s is
the median of REPEATS timed trainings (a single short training is at the mercy of a shared machine's noise).
"""
import json
import statistics
import sys
import time

import torch

spec = json.loads(sys.argv[1])
torch.set_num_threads(spec["threads"])
torch.manual_seed(1)
F, C, N, B, E = spec["features"], spec["classes"], spec["examples"], spec["batch"], spec["epochs"]
REPEATS = 5
x = torch.randn(N, F)
y = torch.randint(0, C, (N,))


def model_for(width, depth):
    layers, fan_in = [], F
    for _ in range(depth):
        layers += [torch.nn.Linear(fan_in, width), torch.nn.ReLU()]
        fan_in = width
    layers.append(torch.nn.Linear(fan_in, C))
    return torch.nn.Sequential(*layers)


def epoch(model, opt, loss_fn):
    perm = torch.randperm(N)
    for i in range(0, N, B):
        idx = perm[i : i + B]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return loss.item()


for width, depth in spec["configs"]:
    model = model_for(width, depth)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    epoch(model, opt, loss_fn)  # warm-up epoch, excluded from timing (as scalebench excludes its warm-up)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(E):
            epoch(model, opt, loss_fn)
        times.append(time.perf_counter() - start)
    elapsed = statistics.median(times)
    sizes = [F] + [width] * depth + [C]
    forward = sum(2 * a * b for a, b in zip(sizes, sizes[1:]))
    flops = 3 * forward * N * E
    params = sum(p.numel() for p in model.parameters())
    print(json.dumps({"width": width, "depth": depth, "params": params, "train_time_s": elapsed, "gflops": flops / elapsed / 1e9}), flush=True)
