"""Write the Lenia creatures shipped in assets/lenia as `<name>.npz` (run it from anywhere).

The cell levels come from Bert Chan's published Lenia animal catalogue (Chan 2019, "Lenia:
Biology of Artificial Life", and the `animals.json` list beside his reference implementation).
They are written there in Golly's multi-state RLE letters (`.` = 0, `A`..`X` = 1..24,
`pA`..`yO` = 25..255) standing for level = state / 255, which is exactly what
`alife.scene.rle.decode_body` reads.

Each archive holds: `cells` [h, w] float32 in [0, 1], `radius` R, `mu`, `sigma`, `dt` (= 1/T),
`peaks` [B] ring heights, `name` (Latin name) and `code` (Chan's catalogue code).
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parents[2] / "lenia"  # assets/lenia: package data (alife.assets)
sys.path.insert(0, str(HERE.parents[1]))

from alife.core.fileio import atomic_write_bytes  # noqa: E402
from alife.scene.rle import decode_body  # noqa: E402

CREATURES = {
    "orbium": {
        "name": "Orbium unicaudatus",
        "code": "O2u",
        "radius": 13,
        "dt": 1 / 10,
        "peaks": "1",
        "mu": 0.15,
        "sigma": 0.015,
        "cells": (
            "7.MD6.qL$6.pKqEqFURpApBRAqQ$5.VqTrSsBrOpXpWpTpWpUpCrQ$4.CQrQsTsWsApITNPpGqGv"
            "L$3.IpIpWrOsGsBqXpJ4.LsFrL$A.DpKpSpJpDqOqUqSqE5.ExD$qL.pBpTT2.qCrGrVrWqM5.sT"
            "pP$.pGpWpD3.qUsMtItQtJ6.tL$.uFqGH3.pXtOuR2vFsK5.sM$.tUqL4.GuNwAwVxBwNpC4.qXp"
            "A$2.uH5.vBxGyEyMyHtW4.qIpL$2.wV5.tIyG3yOxQqW2.FqHpJ$2.tUS4.rM2yOyJyOyHtVpPMp"
            "FqNV$2.HsR4.pUxAyOxLxDxEuVrMqBqGqKJ$3.sLpE3.pEuNxHwRwGvUuLsHrCqTpR$3.TrMS2.p"
            "FsLvDvPvEuPtNsGrGqIP$4.pRqRpNpFpTrNtGtVtStGsMrNqNpF$5.pMqKqLqRrIsCsLsIrTrFqJ"
            "pHE$6.RpSqJqPqVqWqRqKpRXE$8.OpBpIpJpFTK!"
        ),
    },
    "scutium": {
        "name": "Scutium solidus",
        "code": "S1s",
        "radius": 13,
        "dt": 1 / 10,
        "peaks": "1",
        "mu": 0.29,
        "sigma": 0.045,
        "cells": (
            "5.pGQ$6.sUsDqRR$4.VpXrJwKvNtXrW$2.ApVrGrWsIwKyOyDwTuNO$2.qArOrIqIpPpTxH2yOyI"
            "vKqG$rVpIrNrJpH4.xP3yOvFqWA$sKvNsKqE5.pI4yOuHqPC$sNxBuMpD5.JuN3yOwXsUpN$sGxF"
            "yOT5.pCtIyF3yOuKqUH$rPwXyOxT5.qKtSxS3yOvIrQT$pQwK2yOtWXJXqHsGuWxW3yOvPsApC$."
            "vQ3yOuVsLsGsXuMwOyK3yOvHrVpC$.rKyK3yOxEwBwCwXyE3yOxQuMrJU$.WvC5yOyM5yOwFtJqO"
            "L$2.rVwO9yOwWuMsApOC$2.pLtBwK6yOyJwQuTsQqLP$3.qHsWvEwUxTyCxRwWvRuGsNqSpA$3.H"
            "qBrUtHuGuPuLtVsXrSqIXB$4.DpDqEqW2rIqWqGpJN$6.ENTUPHA!"
        ),
    },
    "hydrogeminium": {
        "name": "Hydrogeminium natans",
        "code": "3GH2n",
        "radius": 18,
        "dt": 1 / 10,
        "peaks": "1/2,1,2/3",
        "mu": 0.26,
        "sigma": 0.036,
        "cells": (
            "37.BEG3JGE$35.JpApPqCqJqOqMqEpUpKpAQG$33.BVqCrLsPtLtVuCtTtJsPrVrDqJpPTB$33.p"
            "IrAsRuIvWwXxMxPxHwQvTuStTsUrSqOpFG$32.pKrXuIwFxU6yOyLxJwFvBtVsPrDpNJ$31.TsCv"
            "T11yOyIwXvTuNsWrDpKG$31.rIwA14yOxHvWuKsRqTpDB$30.rQwS16yOxHvRuArXpXL$29.tG7y"
            "OyL4yOyL6yOwXvBsWqTpDB$28.tT7yOxUwSwIwVxHxJxMxUyI4yOyIwIuArNpNG$27.sW7yOxMvO"
            "tQsPtBuIvJwAwQxPyL4yOxPvBsHpXL$26.qTyL4yOxMvMuUtTrXqCpKqErStLuSvRwVyB5yOwFtD"
            "qMQ$25.pKuPyD3yOwVpS7.pIrQtJuSwDxPyL4yOxHuCrAV$24.QrXvOyB3yOqH9.pDrLtGvBxCyL"
            "4yOyBuSrLpA$23.rItDvMxU3yOtV11.pArGtLwIyI4yOyIvBrQpD$22.BuIwSyI2yOvE14.pNrXv"
            "MyG4yOyGvBrQpD$23.tJyD2yOpU15.VrNvEyB4yOxPuKrIpA$22.pItVyL2yO16.pSsRwAyD4yOw"
            "QtLqRQ$21.rLvJxW2yOsP16.rLvExPyL4yOvMsKpXG$20.tOxJ3yOwLsMJ15.sWxC5yOyBuCrIpF"
            "$20.wDyLyOyGuCsHrLpU15.tQyB5yOwLsPqEO$19.sCwS2yOtTpDLpNqHO14.uCyL5yOuFrApDB$"
            "16.JtTwNxCyG2yOtG2.BVG13.qRwF5yOuXrQpIG$16.rL6yOxUpD15.qJvRyB5yOuNrQpF$16.tJ"
            "7yOvO15.7yOtVqOV$14.pFrX3yOuXTtT3yOG13.rQ6yOvBpF$12.uI6yOtD2.xEyOxH14.6yOvJQ"
            "$9.JqEtB8yO2.JsKqR9.pFqErNuC3yOyLyGyLsU$9.tG4yOyD.rG3yOtO8.qCqE3.qT6yOxEtLB$"
            "8.wV5yO3.wS2yOtL7.qRwQuFE2.sU5yOxMtT$7.sCyL4yOwFJ3.xUxR8.vG2yOrS2.2yOuUuXyGx"
            "EtQ$4.tTvWuFvT2yO2.vWvMpU10.rA2.sR7yOsWsCvMqO$4.vGwNwLxRyOpI2.pIxWuC9.2yOrN."
            "J7yOqM$4.uPwXxMyIyOV2.EyOuS8.uF2yOwV2.6yOuS$4.uSuUvB2yOqEB.JE9.vG3yOrArV2yOu"
            "IuPyOwV$4.sP2vRwXyOyGqJL8.O3.yG6yOrLqMvB$3.pFtT2xM3yOsMJ7.rGtQ3.xH6yO$3.rAvM"
            "4yOwIqW8.sFwDtQ2.xE5yOrG$.pPqTsHvOyL2yOwQsKV8.pAtT2uCwDyL4yOuP$rGtBsRsUuPxHy"
            "OwSuFqWO9.rIvJyB4yOvJuCpFJ$qJtQtOtBuAuFuUuPtTrQpIGEVvTyOV3.rIxC4yOuAsPrGpPB$"
            ".rGsRrGpUqWsCsWtQtGrQqCpPqWvWyOsKB2.uI4yOtJrAV$5.pKrDsFtQvMvTuUtDrQqTsW2uIvO"
            "yI4yOuUrL$5.OrLtOvGxWyLyOwVsHpPpNyD7yOvRpI$6.sKxC2yIyLyOxWuPrIuN7yOuUqJ$5.Qu"
            "NyB2yOyLyIyL7yOyIpK$5.GsUxJ2yOyGwSvWwNxW4yOyLG$6.pKuAxHxUwNuCsRtBuSxCyG2yLsK"
            "$8.qJsRsWsCrApXqCsUqWG$10.TqHqMpN$11.QqHpK!"
        ),
    },
}


def build(key: str) -> dict[str, np.ndarray]:
    """The arrays of one creature's archive."""
    spec = CREATURES[key]
    levels = decode_body([(1, spec["cells"])], where=f"creature {key}")
    return {
        "cells": (levels.astype(np.float32) / 255.0),
        "radius": np.float64(spec["radius"]),
        "mu": np.float64(spec["mu"]),
        "sigma": np.float64(spec["sigma"]),
        "dt": np.float64(spec["dt"]),
        "peaks": np.array([float(Fraction(b)) for b in spec["peaks"].split(",")], np.float32),
        "name": np.array(spec["name"]),
        "code": np.array(spec["code"]),
    }


def main() -> None:
    import io

    for key in CREATURES:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **build(key))
        atomic_write_bytes(HERE / f"{key}.npz", buffer.getvalue())
        print(f"wrote {key}.npz")


if __name__ == "__main__":
    main()
