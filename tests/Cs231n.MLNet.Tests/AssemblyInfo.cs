// Tests share a machine of 2 cores; the numeric kernels parallelise internally, so tests run one at a time.
[assembly: DoNotParallelize]
