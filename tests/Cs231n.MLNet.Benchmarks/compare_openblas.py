#!/usr/bin/env python3
"""Reference timings from OpenBLAS (numpy float32 matmul) and faiss (IndexFlatL2) for the same shapes and data as
the quick mode of the .NET benchmarks, so both can be run back to back on the same machine.

Setup (Debian):  apt-get install -y python3-numpy libopenblas0-openmp python3-faiss
Run with the OpenMP OpenBLAS on 2 threads, from the repository root:
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
      LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 \
      /usr/bin/python3 tests/Cs231n.MLNet.Benchmarks/compare_openblas.py [--no-huge] [--gemm-only] [--shape 4096x4096x4096] [--repeat N]
(the Debian interpreter, which sees the python3-numpy and python3-faiss packages)
then compare with:
  dotnet run -c Release --project tests/Cs231n.MLNet.Benchmarks -- --quick
"""
import gzip
import os
import sys
import time

import numpy as np

DATA = "/usr/share/datasets/fashion-mnist"
SHAPES = [  # (name, m, k, n): C(m×n) = A(m×k)·B(k×n)
    ("256x256x256", 256, 256, 256),
    ("1024x1024x1024", 1024, 1024, 1024),
    ("4096x4096x4096", 4096, 4096, 4096),
    ("128x784x512", 128, 784, 512),
    ("128x512x256", 128, 512, 256),
    ("512x128x784", 512, 128, 784),
    ("128x256x10", 128, 256, 10),
    ("10000x784x10", 10000, 784, 10),
    ("10000x784x60000", 10000, 784, 60000),
]


def best_of(fn, repeat):
    fn()  # warm-up
    times = []
    cpu = []
    for _ in range(repeat):
        start = time.perf_counter()
        cpu_start = time.process_time()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), sorted(times)[len(times) // 2]


def read_idx(name, header):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def main():
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    try:
        np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except Exception:
        pass
    print(f"numpy {np.__version__}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}")
    rng = np.random.default_rng(42)
    for name, m, k, n in SHAPES:
        if "--no-huge" in sys.argv and m * n > 100_000_000:
            continue
        if "--shape" in sys.argv and name != sys.argv[sys.argv.index("--shape") + 1]:
            continue
        a = (rng.random((m, k), dtype=np.float32) - 0.5)
        b = (rng.random((k, n), dtype=np.float32) - 0.5)
        c = np.empty((m, n), dtype=np.float32)
        reps = 2 if m * n > 100_000_000 else repeat if 2.0 * m * n * k >= 1e9 else 20
        best, median = best_of(lambda: np.matmul(a, b, out=c), reps)
        flops = 2.0 * m * n * k
        print(f"OpenBLAS sgemm {name:<20} best {best * 1e3:9.2f} ms {flops / best / 1e9:7.1f} GFLOP/s"
              f"   median {flops / median / 1e9:7.1f} GFLOP/s  ({reps} runs)")
        del a, b, c

    if "--gemm-only" in sys.argv:
        return
    if not os.path.exists(os.path.join(DATA, "train-images-idx3-ubyte.gz")):
        print("Fashion-MNIST not found; install with: apt-get install dataset-fashion-mnist")
        return
    import faiss

    faiss.omp_set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    train = read_idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32)
    test = read_idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32)
    train_labels = read_idx("train-labels-idx1-ubyte.gz", 8)
    test_labels = read_idx("t10k-labels-idx1-ubyte.gz", 8)
    k = 5
    times = []
    cpu = []
    for _ in range(repeat):
        start = time.perf_counter()
        cpu_start = time.process_time()
        index = faiss.IndexFlatL2(784)
        index.add(train)
        _, neighbours = index.search(test, k)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    votes = train_labels[neighbours]
    predicted = np.array([np.bincount(v, minlength=10).argmax() for v in votes])
    accuracy = (predicted == test_labels).mean()
    print(f"faiss IndexFlatL2 k={k} full Fashion-MNIST: first call {times[0]:.2f} s, best {min(times):.2f} s, runs "
          f"[{', '.join(f'{t:.2f}' for t in times)}] s (CPU [{', '.join(f'{t:.2f}' for t in cpu)}] s), accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
