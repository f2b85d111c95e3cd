#!/usr/bin/env python3
# The PyTorch baseline for `--quick --cnn`: Fashion-MNIST's "2 Conv <100K parameters" network
# (conv 5x5x32 pad 2 -> ReLU -> max-pool 2 -> conv 5x5x64 pad 2 -> ReLU -> max-pool 2 -> linear 10), Adam 1e-3,
# batch 128, pixels/255, two CPU threads. Prints seconds, samples/s and test accuracy after every epoch, then
# inference images/s at batch 1,000. Usage: compare_torch_cnn.py [epochs, default 15] [rows, default all 60,000]
# (fewer rows time a part of an epoch, for a quick throughput ratio with `--cnn --no-default --rows N`)
# Run with the OpenMP OpenBLAS (apt-get install python3-torch libopenblas0-openmp):
#   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
#       OMP_NUM_THREADS=2 /usr/bin/python3 tests/Cs231n.MLNet.Benchmarks/compare_torch_cnn.py 15
import gzip, sys, time
import numpy as np
import torch

DIR = "/usr/share/datasets/fashion-mnist"

def read(name, offset):
    with gzip.open(f"{DIR}/{name}", "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)

def images(name):
    return torch.from_numpy(read(name, 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)

def labels(name):
    return torch.from_numpy(read(name, 8).astype(np.int64))

x, y = images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz")
xt, yt = images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz")
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
rows = int(sys.argv[2]) if len(sys.argv) > 2 else x.shape[0]
x, y = x[:rows], y[:rows]
torch.set_num_threads(2)
torch.manual_seed(0)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, mkldnn {torch.backends.mkldnn.is_available()}")

net = torch.nn.Sequential(
    torch.nn.Conv2d(1, 32, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(32, 64, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Linear(64 * 7 * 7, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()

def accuracy():
    net.eval()
    with torch.no_grad():
        correct = sum((net(xt[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum().item() for i in range(0, xt.shape[0], 1000))
    net.train()
    return correct / xt.shape[0]

train_seconds = 0.0
for epoch in range(1, epochs + 1):
    start = time.perf_counter()
    perm = torch.randperm(x.shape[0])
    for i in range(0, x.shape[0], 128):
        idx = perm[i:i + 128]
        opt.zero_grad()
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - start
    train_seconds += seconds
    print(f"PyTorch 2-conv epoch {epoch} on {rows} rows: {seconds:.1f} s ({rows / seconds:.0f} samples/s), training time so far {train_seconds:.1f} s, test accuracy {accuracy():.4f}", flush=True)

net.eval()
with torch.no_grad():
    for run in ("first", "warm"):
        start = time.perf_counter()
        for i in range(0, xt.shape[0], 1000):
            net(xt[i:i + 1000]).softmax(1)
        seconds = time.perf_counter() - start
        print(f"PyTorch 2-conv inference at batch 1000 ({run}): {xt.shape[0] / seconds:.0f} images/s")
