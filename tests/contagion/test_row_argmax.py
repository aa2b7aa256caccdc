"""``row_argmax`` (the ``top_source`` of every kernel) against a dense reference, with and without weights."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dealweb.contagion._exposures import row_argmax

VALUES = st.sampled_from([0.0, 0.0, 0.0, 1.0, 2.0, 2.0, 3.5, -1.0, 1e-300])


def _dense(m: np.ndarray) -> list[int]:
    out = []
    for row in m:
        best = row.max(initial=0.0)
        out.append(int(np.flatnonzero(row == best)[0]) if best > 0 else -1)
    return out


@given(st.integers(1, 7).flatmap(lambda n: st.tuples(
    arrays(np.float64, (n, n), elements=VALUES),
    arrays(np.float64, n, elements=st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0, -0.5])))))
def test_row_argmax_matches_the_dense_definition(case: tuple[np.ndarray, np.ndarray]) -> None:
    m, w = case
    csr = sp.csr_array(m)
    csr.sort_indices()
    assert row_argmax(csr).tolist() == _dense(m)
    exposures = sp.csr_array(np.abs(m))  # weighted: the kernels' exposures are never negative
    exposures.sort_indices()
    assert row_argmax(exposures, w).tolist() == _dense(np.abs(m) * w[None, :])
