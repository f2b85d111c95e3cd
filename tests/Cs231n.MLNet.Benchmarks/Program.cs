using BenchmarkDotNet.Running;
using Cs231n.MLNet.Benchmarks;

// Without arguments (or with BenchmarkDotNet's own, e.g. `--filter '*Gemm*'`): the BenchmarkDotNet suite.
// `--quick`: short timed runs printing GFLOP/s (wall clock and per CPU-second) and kNN seconds with accuracy.
//   --gemm-only | --knn-only      run one half          --no-huge          skip the 10000×784×60000 product
//   --shape 4096x4096x4096        one suite shape       --mnk "m,n,k;..."  custom shapes (C is m×n)
//   --reps N                      timed repetitions     --threads N        cap the worker threads
//   --kernel Vector512|Vector256|Scalar                 force a kernel
//   --cnn [--epochs N] [--no-default] [--no-two-conv] [--rows N]   the convolutional network on full Fashion-MNIST
//   --cnn-profile [--steps N] [--no-default] [--no-two-conv]   per-layer forward/backward milliseconds of the default and 2-conv networks
//   --conv-paths                  direct against Winograd convolution on the two networks' second layers (fastest of 15 passes)
//   --queries N                   first N test images   --distance L1|L2|Cosine
//   --onnx                        exported MLP and kNN in ONNX Runtime vs our Transform (throughput ratio), and the
//                                 kNN rows a float32 graph answers differently (--onnx-throughput-only, --onnx-exactness-only)
//   --onnx --onnx-cnn [--rows N]  the exported 2-conv network: agreement on the 10,000 test rows and throughput ratio
if (args.Contains("--quick"))
    QuickRun.Run(args);
else
    BenchmarkSwitcher.FromAssembly(typeof(GemmShape).Assembly).Run(args);
