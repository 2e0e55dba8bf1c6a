"""Small image data sets that ship inside our dependencies (nothing is downloaded at run time).

`digits`: scikit-learn's 8x8 handwritten digits (1797 images), upscaled, with a fixed
train / held-out split.
"""

from alife.data.digits import digits, digits_split

__all__ = ["digits", "digits_split"]
