"""marginal's losses, metrics and run folders for PyTorch, with the conventions of marginal's
Swift core (docs/CONVENTIONS.md): see python/README.md."""
from .conventions import DEFAULT_GAMMA, DEFAULT_TAU, EPSILON, IGNORE_INDEX
from .batch import SegmentationBatch
from .losses import (LOSSES, PENALTIES, MarginalLoss, available, ce_db, ce_db1, ce_kl, ce_l1,
                     cross_entropy, default_lambda, dice, dice1, dice_ce, focal, gdice,
                     is_binary_only, log_dice, log_dice1, log_dice_ce, loss, penalty, terms_of,
                     uses_temperature)
from .decomposition import decompose
from .metrics import ConfusionMatrix, SplitMeter, image_proportions, predicted_labels
from .runlog import RunLogger

__all__ = [name for name in dir() if not name.startswith("_")]
