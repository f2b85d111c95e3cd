// Compares this package's CS231n classifiers (k-nearest neighbours, multiclass SVM, softmax, multilayer perceptron)
// with ML.NET's SDCA and L-BFGS maximum entropy, LightGBM and one-versus-all FastTree on one train/test split:
// tunes ours as CS231n teaches, prints a leaderboard, draws the pictures and writes report.md.
//
//   dotnet run -c Release --project samples/Compare                          # bundled 2,000/500 subset, a few minutes
//   dotnet run -c Release --project samples/Compare -- --data fashion-mnist  # full Fashion-MNIST (Debian package)
//   dotnet run -c Release --project samples/Compare -- --data data/tabular/wine.csv  # a CSV table of your own
//   dotnet run -c Release --project samples/Compare -- --help
using Compare.Contenders;
using Compare.Running;
using Compare.Tabular;

return ComparisonApp.Run(args, ContenderCatalog.Create, TabularComparison.Run);
