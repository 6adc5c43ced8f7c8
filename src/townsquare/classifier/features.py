"""Text normalisation and the stateless hashed word + character n-gram features of the linear tier.

Hashing keeps the artefact to the weights alone (no vocabulary to ship) and makes the features identical at
training and serving time by construction.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

N_WORD = 2**18
N_CHAR = 2**18
N_FEATURES = N_WORD + N_CHAR

_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{3,}")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, URLs and @mentions to placeholders, long runs of one character cut to three."""
    text = _URL.sub(" httpurl ", text)
    text = _MENTION.sub(" @user ", text)
    text = _REPEAT.sub(r"\1\1\1", text.lower())
    return _SPACE.sub(" ", text).strip()


_TOKEN = re.compile(r"(?u)\b\w+\b|[!?]")
_word = HashingVectorizer(
    n_features=N_WORD,
    analyzer="word",
    ngram_range=(1, 2),
    token_pattern=_TOKEN.pattern,
    alternate_sign=False,
    norm=None,
    lowercase=False,
    dtype=np.float32,
)
CHAR_NGRAMS = (2, 3, 4, 5)
_MULTIPLIER = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _char_hashes(codes: npt.NDArray[np.uint64]) -> list[tuple[int, npt.NDArray[np.uint64]]]:
    """For each n of CHAR_NGRAMS, the 64-bit hash of the n code points from every position on."""
    out = []
    with np.errstate(over="ignore"):
        for n in CHAR_NGRAMS:
            m = len(codes) - n + 1
            if m <= 0:
                continue
            h = np.full(m, np.uint64(n))
            for k in range(n):
                h = h * _MULTIPLIER + codes[k : k + m]
            out.append((n, (h * _MIX) >> np.uint64(32)))
    return out


def char_counts(clean: Sequence[str]) -> sp.csr_matrix:
    """Hashed character 2- to 5-gram counts (n-grams cross spaces, never texts), vectorised over the batch.

    scikit-learn's char analyzers build every n-gram as a Python string (about 1,300 comments/s here);
    hashing code points with numpy in one pass over the whole batch is an order of magnitude faster.
    """
    n_docs = len(clean)
    if n_docs == 0:
        return sp.csr_matrix((0, N_CHAR), dtype=np.float32)
    padded = [f" {t} " for t in clean]
    codes = np.frombuffer("\x00".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) + 1 for t in padded), dtype=np.int64, count=n_docs)
    doc = np.repeat(np.arange(n_docs), lengths)[: len(codes)]
    rows, cols = [], []
    for n, h in _char_hashes(codes):
        m = len(h)
        valid = (doc[:m] == doc[n - 1 : n - 1 + m]) & (codes[n - 1 : n - 1 + m] != 0)
        rows.append(doc[:m][valid])
        cols.append((h[valid] % np.uint64(N_CHAR)).astype(np.int64))
    row = np.concatenate(rows)
    data = np.ones(len(row), dtype=np.float32)
    return sp.csr_matrix((data, (row, np.concatenate(cols))), shape=(n_docs, N_CHAR))


def one_text(
    text: str, idf: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """`tfidf(counts([text]), idf)` for one text as (feature indices, weights), without sparse matrices.

    The moderation pipeline scores one comment per request; building scipy matrices for a single row
    cost more than the arithmetic. The same hashes and the same float32 weights as the batch path.
    """
    clean = normalise(text)
    # `_word`'s features hashed as its FeatureHasher does (signed murmurhash3, absolute value, modulo).
    tokens = _TOKEN.findall(clean)
    grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
    hashed = np.array([abs(murmurhash3_32(g, seed=0)) % N_WORD for g in grams], dtype=np.int64)
    word, word_counts = np.unique(hashed, return_counts=True)
    padded = f" {clean} "
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    hashes = np.concatenate([h for _n, h in _char_hashes(codes)]) % np.uint64(N_CHAR)
    char, char_counts_ = np.unique(hashes.astype(np.int64), return_counts=True)
    indices = np.concatenate([word, char + N_WORD])
    raw = np.concatenate([word_counts, char_counts_])
    return indices, _weights(raw, indices, np.zeros(len(indices), dtype=np.int64), 1, idf)


def counts(texts: Sequence[str]) -> sp.csr_matrix:
    """Raw hashed n-gram counts, word block then character block."""
    clean = [normalise(t) for t in texts]
    word = _word.transform(clean).tocsr()
    char = char_counts(clean)  # built from COO, so duplicates are summed already (indices unsorted)
    # Stacking the two CSR blocks by hand: `sp.hstack` costs more than hashing one comment.
    n = len(clean)
    word_counts = np.diff(word.indptr).astype(np.int64)
    indptr = word.indptr.astype(np.int64) + char.indptr.astype(np.int64)
    indices = np.empty(indptr[-1], dtype=np.int64)
    data = np.empty(indptr[-1], dtype=np.float32)
    for block, offset, shift in ((word, 0, np.zeros(n, dtype=np.int64)), (char, N_WORD, word_counts)):
        rows = np.repeat(np.arange(n), np.diff(block.indptr))
        within = np.arange(len(block.indices)) - block.indptr[rows]
        where = indptr[rows] + shift[rows] + within
        indices[where] = block.indices.astype(np.int64) + offset
        data[where] = block.data
    return sp.csr_matrix((data, indices, indptr), shape=(len(clean), N_FEATURES))


def tfidf(x: sp.csr_matrix, idf: npt.NDArray[np.float32]) -> sp.csr_matrix:
    """Sublinear tf times idf, each block scaled to unit length so words and characters weigh alike.

    Computed on the CSR arrays directly (no column slicing, no broadcasting against the dense idf row):
    for one comment this is the difference between a millisecond and a few microseconds.
    """
    x = x.tocsr()  # from `counts`: no duplicate entries in a row
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    data = _weights(x.data, x.indices, rows, x.shape[0], idf)
    return sp.csr_matrix((data, x.indices.copy(), x.indptr.copy()), shape=x.shape)


def _weights(
    raw: npt.NDArray[Any],
    indices: npt.NDArray[Any],
    rows: npt.NDArray[Any],
    n_rows: int,
    idf: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """`tfidf`'s arithmetic on flat arrays: the counts `raw` of features `indices` in rows `rows`."""
    data = np.log1p(raw.astype(np.float64)) * idf[indices]
    block = rows * 2 + (indices >= N_WORD)
    norms = np.sqrt(np.bincount(block, weights=data * data, minlength=2 * n_rows))
    norms[norms == 0] = 1.0
    return np.asarray(data / norms[block], dtype=np.float32)


def fit_idf(x: sp.csr_matrix) -> npt.NDArray[np.float32]:
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float64)
    n = x.shape[0]
    return np.asarray(np.log((1 + n) / (1 + df)) + 1.0, dtype=np.float32)
