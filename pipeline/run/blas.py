"""The model's matrix products through numpy's BLAS, one thread per process.

Why: thinc's ``NumpyOps`` multiplies with blis by default. blis picks its kernels from the
CPU model, and a virtual machine that hides it (the 2-core CI machine reports "AMD EPYC")
gets blis's generic ones, while numpy's OpenBLAS probes the instruction set and uses its
tuned kernels. There, the products of ``en_core_web_sm``'s layers ran 3x faster through
numpy and bare spaCy ``nlp.pipe`` 23 % faster on 400 mixed releases, with identical tags,
heads, labels, entities and lemmas on all 249,021 tokens. thinc has the switch itself:
``NumpyOps(use_blis=False)`` hands ``gemm`` to ``numpy.dot`` and keeps its other kernels.

One BLAS thread per process: the workers are the parallelism (one per core), and BLAS
threads of their own would contend with the other workers for the same cores.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from spacy.language import Language
from thinc.api import Model, NumpyOps
from threadpoolctl import threadpool_limits

BLAS_THREADS = 1


def blis_layers(nlp: Language) -> list[Model]:
    """The layers of ``nlp``'s trainable components that multiply with blis."""
    return [layer for _, component in nlp.pipeline
            if isinstance(getattr(component, "model", None), Model)
            for layer in component.model.walk()
            if isinstance(layer.ops, NumpyOps) and layer.ops.use_blis]


def swap_gemm(nlp: Language) -> int:
    """Give each of ``blis_layers(nlp)`` an ops that multiplies with numpy; how many there
    were. Layers on other ops (a GPU's) stay as they are."""
    layers = blis_layers(nlp)
    numpy_ops = NumpyOps(use_blis=False)
    for layer in layers:
        layer.ops = numpy_ops
    return len(layers)


@contextmanager
def blas_threads(limit: int = BLAS_THREADS) -> Iterator[None]:
    """numpy's BLAS on at most ``limit`` threads inside the block (restored after)."""
    with threadpool_limits(limits=limit, user_api="blas"):
        yield
