"""The constants of docs/CONVENTIONS.md, spelled once for the whole package."""

#: A label of 255 marks an ignored pixel (CONVENTIONS "Inputs").
IGNORE_INDEX = 255
#: ε inside the logarithms of marginals (CONVENTIONS "Inputs").
EPSILON = 1e-10
#: τ of p̂ when none is given (paper Appendix C).
DEFAULT_TAU = 10.0
#: γ of the focal loss.
DEFAULT_GAMMA = 2.0
#: Clamp of Dice's denominator and, for log Dice, of d (segmentation_models_pytorch 0.2.1 eps).
DICE_EPS = 1e-7
#: MONAI GeneralizedDiceLoss smooth_nr = smooth_dr.
GDICE_SMOOTH = 1e-5
