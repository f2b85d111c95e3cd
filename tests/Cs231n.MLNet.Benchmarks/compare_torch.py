#!/usr/bin/env python3
# The PyTorch baseline for the MLP throughput of `--quick --mlp`: 784-512-256-10 with ReLU, batch 128, 3 epochs on
# full Fashion-MNIST (pixels/255), Adam (lr 1e-3) and SGD-momentum (lr 0.01, momentum 0.9), two CPU threads.
# Run with the OpenMP OpenBLAS (apt-get install python3-torch libopenblas0-openmp):
#   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
#       OMP_NUM_THREADS=2 /usr/bin/python3 tests/Cs231n.MLNet.Benchmarks/compare_torch.py
import gzip, sys, time
import numpy as np
import torch

DIR = "/usr/share/datasets/fashion-mnist"

def read(name, offset):
    with gzip.open(f"{DIR}/{name}", "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)

x = torch.from_numpy(read("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
y = torch.from_numpy(read("train-labels-idx1-ubyte.gz", 8).astype(np.int64))
torch.set_num_threads(2)
torch.manual_seed(0)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")

if "--inference" in sys.argv:
    # Inference as `--quick --inference` times it: 10,000 test images, batches of 1,000, softmax included.
    xt = torch.from_numpy(read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255)
    net = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    net.eval()
    times = []
    with torch.no_grad():
        for repetition in range(5):
            start = time.perf_counter()
            total = 0.0
            for i in range(0, xt.shape[0], 1000):
                total += float(torch.softmax(net(xt[i:i + 1000]), dim=1)[:, 0].sum())
            times.append(time.perf_counter() - start)
    print(f"PyTorch MLP 784-512-256-10 inference, 10,000 rows in batches of 1,000: first call {times[0] * 1e3:.1f} ms ({10000 / times[0]:.0f} images/s), "
          f"warm best {min(times[1:]) * 1e3:.1f} ms ({10000 / min(times[1:]):.0f} images/s), runs {[round(t * 1e3, 1) for t in times]} ms")
    sys.exit(0)

for name in ("Adam", "Momentum"):
    for repetition in range(2):
        net = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
        opt = torch.optim.Adam(net.parameters(), lr=1e-3) if name == "Adam" else torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()
        epochs = 3
        start = time.perf_counter()
        for epoch in range(epochs):
            perm = torch.randperm(x.shape[0])
            for i in range(0, x.shape[0], 128):
                idx = perm[i:i + 128]
                opt.zero_grad()
                loss = loss_fn(net(x[idx]), y[idx])
                loss.backward()
                opt.step()
        seconds = time.perf_counter() - start
        print(f"PyTorch MLP 784-512-256-10, batch 128, {name}, {epochs} epochs: {seconds:.2f} s, {60000 * epochs / seconds:.0f} samples/s")
