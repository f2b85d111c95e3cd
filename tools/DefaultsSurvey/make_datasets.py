"""Writes the data sets of the defaults survey as stratified 70/30 splits and prints scikit-learn's reference accuracies.

Every data set becomes <out>/<name>/train.csv and test.csv (label first, then the raw features, no header) and
<out>/<name>/sklearn.json with the test accuracy of scikit-learn's default models after MinMaxScaler (fitted on the
training rows), and of the linear ones on the raw features. The C# side (Program.cs) reads the same files.

Run: /usr/bin/python3 tools/DefaultsSurvey/make_datasets.py --out out/defaults-survey
     /usr/bin/python3 tools/DefaultsSurvey/make_datasets.py --write-bundled data/tabular   (the shipped tables)
"""
import argparse
import json
import os
import warnings

import numpy as np
from sklearn import datasets
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore")


def real_sets():
    yield "iris", *datasets.load_iris(return_X_y=True)
    yield "wine", *datasets.load_wine(return_X_y=True)
    yield "breast-cancer", *datasets.load_breast_cancer(return_X_y=True)
    yield "digits", *datasets.load_digits(return_X_y=True)


def synthetic_sets():
    rng = np.random.RandomState(7)
    shapes = [  # rows, features, classes, informative share, separation
        (60, 2, 2, 1.0, 1.5), (150, 5, 3, 0.6, 1.0), (300, 20, 4, 0.5, 1.2), (500, 50, 2, 0.2, 0.8),
        (800, 10, 5, 0.8, 1.0), (1500, 100, 10, 0.3, 1.5), (3000, 30, 6, 0.5, 0.7), (5000, 8, 3, 1.0, 0.5),
    ]
    for i, (n, d, k, share, sep) in enumerate(shapes):
        informative = max(2, int(d * share))
        while k * 2 > 2 ** informative:
            informative += 1
        X, y = datasets.make_classification(n_samples=n, n_features=d, n_informative=min(informative, d),
                                            n_redundant=0, n_classes=k, n_clusters_per_class=1 if k > 4 else 2,
                                            class_sep=sep, random_state=100 + i)
        # Columns of very different scales and offsets, as in real tabular data.
        X = X * 10.0 ** rng.uniform(-2, 3, size=d) + rng.uniform(-50, 50, size=d)
        yield f"synthetic-{n}x{d}-{k}c", X, y
    X, y = datasets.make_moons(n_samples=400, noise=0.25, random_state=3)
    yield "moons-400", X * [3.0, 0.01], y
    X, y = datasets.make_blobs(n_samples=1000, n_features=12, centers=7, cluster_std=3.0, random_state=5)
    yield "blobs-1000x12-7c", X, y


def write(path, X, y):
    with open(path, "w") as f:
        for label, row in zip(y, X):
            f.write(str(int(label)) + "," + ",".join(repr(float(v)) for v in row) + "\n")


def accuracy(model, Xtr, ytr, Xte, yte):
    return float(model.fit(Xtr, ytr).score(Xte, yte))


def write_bundled(folder):
    """The real tables shipped in data/tabular: a header row, the class name in the first column, values as published."""
    os.makedirs(folder, exist_ok=True)
    loaders = {"iris": datasets.load_iris, "wine": datasets.load_wine,
               "breast-cancer": datasets.load_breast_cancer, "digits": datasets.load_digits}
    for name, load in loaders.items():
        bunch = load()
        names = [str(n) for n in bunch.target_names]
        columns = [str(c).replace(" ", "_").replace("(", "").replace(")", "") for c in bunch.feature_names]
        with open(os.path.join(folder, name + ".csv"), "w") as f:
            f.write("class," + ",".join(columns) + "\n")
            for label, row in zip(bunch.target, bunch.data):
                values = ",".join(str(int(v)) if float(v).is_integer() else repr(float(v)) for v in row)
                f.write(f"{names[label]},{values}\n")
        print(f"{name}: {len(bunch.target)} rows, {bunch.data.shape[1]} features, {len(names)} classes")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="out/defaults-survey")
    parser.add_argument("--write-bundled", metavar="FOLDER", help="write the real tables of data/tabular instead")
    args = parser.parse_args()
    if args.write_bundled:
        write_bundled(args.write_bundled)
        return
    for name, X, y in [*real_sets(), *synthetic_sets()]:
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        write(os.path.join(folder, "train.csv"), Xtr, ytr)
        write(os.path.join(folder, "test.csv"), Xte, yte)
        scaler = MinMaxScaler().fit(Xtr)
        Str, Ste = scaler.transform(Xtr), scaler.transform(Xte)
        ref = {
            "logistic": accuracy(LogisticRegression(), Str, ytr, Ste, yte),
            "linear_svc": accuracy(LinearSVC(), Str, ytr, Ste, yte),
            "mlp": accuracy(MLPClassifier(random_state=0), Str, ytr, Ste, yte),
            "knn5": accuracy(KNeighborsClassifier(), Str, ytr, Ste, yte),
            "logistic_raw": accuracy(LogisticRegression(), Xtr, ytr, Xte, yte),
            "linear_svc_raw": accuracy(LinearSVC(), Xtr, ytr, Xte, yte),
        }
        with open(os.path.join(folder, "sklearn.json"), "w") as f:
            json.dump(ref, f)
        print(f"{name:26s} {len(ytr):5d}x{X.shape[1]:<4d} {len(set(y)):2d}c  " +
              "  ".join(f"{k}={v:.3f}" for k, v in ref.items()))


if __name__ == "__main__":
    main()
