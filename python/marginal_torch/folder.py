"""`folder:PATH` sets read as marginal reads them (Sources/MarginalDatasets/FolderDataset.swift,
docs/DATASETS.md), so a PyTorch run trains and validates on the very images and splits of
`marginal train --dataset folder:PATH`:

    PATH/images/NAME.png   gray or colour PNG     PATH/masks/NAME.png   class ids, 255 = ignored

- pairs by stem; hidden files and files not ending in .png skipped; at least 3 pairs;
- images all of one size; 3 channels if any image is in colour (gray ones repeated), else 1;
  each channel standardised per image (mean 0, deviation 1; left at 0 when the deviation is
  ≤ 1e-6);
- K: the classes given, or the largest label (255 aside) + 1;
- splits: the sorted stems shuffled by SeededRandom(sampleSeed(seed, "FOLD", train, 0)), then
  15 % test, 15 % validation (at least 1 each), the rest training; each split in sorted order.

A `PATH/dataset.json` (what `marginal dataset export` writes: {"name", "classes": [names],
"seed", "splits": {"train": [stems], "val": [stems], "test": [stems]}}) is honoured when present:
its class names give K and the names, its splits replace the seeded ones (a stem in no listed
split is left out, unless "test" is not listed: then the remaining stems are the test split).

Every problem is a `ValueError` of one line naming the file."""
import json
import os

import numpy as np
import torch

from .conventions import IGNORE_INDEX
from .png import PNGError, read_png
from .seeded import SeededRandom, sample_seed

FOLDER_SALT = 0x464F4C44  # "FOLD"
SPLITS = ("train", "validation", "test")


class Split:
    """One split: `names` (stems, sorted), `images` N x C x H x W float32 (standardised), `masks`
    N x H x W int64 (class ids, 255 = ignored)."""

    def __init__(self, names, images, masks):
        self.names, self.images, self.masks = names, images, masks

    def __len__(self):
        return len(self.names)


class FolderDataset:
    """The set in `path`; `seed` draws the split (unless dataset.json lists it)."""

    def __init__(self, path, seed, classes=None):
        if classes is not None and not 2 <= classes <= 254:
            raise ValueError(f"classes {classes}: a dataset has 2 to 254 classes (255 is the ignore index)")
        self.path = path
        if not os.path.isdir(path):
            raise ValueError(f"{path}: no such folder")
        folders = {sub: os.path.join(path, sub) for sub in ("images", "masks")}
        for sub, folder in folders.items():
            if not os.path.isdir(folder):
                raise ValueError(f"{path}: no {sub}/ folder (a folder dataset holds images/*.png and masks/*.png, paired by name)")
        images, masks = _png_files(folders["images"]), _png_files(folders["masks"])
        for stem in sorted(images):
            if stem not in masks:
                raise ValueError(f"{images[stem]}: no mask {os.path.join(folders['masks'], stem + '.png')} for this image")
        for stem in sorted(masks):
            if stem not in images:
                raise ValueError(f"{masks[stem]}: no image {os.path.join(folders['images'], stem + '.png')} for this mask")
        stems = sorted(images)
        if len(stems) < 3:
            raise ValueError(f"{path}: {len(stems)} image/mask pair{'' if len(stems) == 1 else 's'}; "
                             "a folder dataset needs at least 3 (one per split)")
        description = _read_description(path)
        names = description.get("classes")
        if names is not None:
            classes = len(names)
            if not 2 <= classes <= 254:
                raise ValueError(f"{os.path.join(path, 'dataset.json')}: {classes} classes; a dataset has 2 to 254")

        pictures, labels, first, largest = [], [], None, -1
        for stem in stems:
            picture = _read(images[stem], labels=False)
            mask = _read(masks[stem], labels=True)[:, :, 0]
            if mask.shape != picture.shape[:2]:
                raise ValueError(f"{masks[stem]}: {mask.shape[1]} x {mask.shape[0]}, but its image {images[stem]} is "
                                 f"{picture.shape[1]} x {picture.shape[0]}")
            if first is not None and picture.shape[:2] != first[1]:
                raise ValueError(f"{images[stem]}: {picture.shape[1]} x {picture.shape[0]}, but {first[0]} is "
                                 f"{first[1][1]} x {first[1][0]}; a folder dataset's images share one size")
            first = first or (images[stem], picture.shape[:2])
            valid = mask[mask != IGNORE_INDEX]
            if classes is not None and (valid >= classes).any():
                row, column = np.argwhere((mask != IGNORE_INDEX) & (mask >= classes))[0]
                raise ValueError(f"{masks[stem]}: label {mask[row, column]} at row {row}, column {column} is neither "
                                 f"a class (K = {classes}) nor the ignore index 255")
            if classes is None and (valid == 254).any():
                row, column = np.argwhere(mask == 254)[0]
                raise ValueError(f"{masks[stem]}: label 254 at row {row}, column {column} would make 255 classes; "
                                 "class ids run from 0 to 253 (255 is the ignore index)")
            if valid.size:
                largest = max(largest, int(valid.max()))
            pictures.append(picture)
            labels.append(mask)
        k = classes if classes is not None else largest + 1
        if k < 2:
            held = "no class id, only the ignore index 255" if largest < 0 else "only class 0"
            raise ValueError(f"{folders['masks']}: the masks hold {held}; a dataset needs at least 2 classes")

        self.classes = k
        self.class_names = list(names) if names is not None else [f"class {i}" for i in range(k)]
        self.channels = 3 if any(p.shape[2] == 3 for p in pictures) else 1
        self.height, self.width = first[1]
        self.stems = stems
        members = _listed_splits(description, stems, path) or _seeded_splits(len(stems), seed)
        for split in SPLITS:
            chosen = members[split]
            stacked = np.stack([_standardised(pictures[i], self.channels) for i in chosen]) if chosen else \
                np.zeros((0, self.channels, self.height, self.width), dtype=np.float32)
            setattr(self, split, Split([stems[i] for i in chosen], torch.from_numpy(stacked),
                                       torch.from_numpy(np.stack([labels[i] for i in chosen]).astype(np.int64))
                                       if chosen else torch.zeros((0, self.height, self.width), dtype=torch.int64)))
        if len(self.train) == 0 or len(self.validation) == 0:
            raise ValueError(f"{path}: the training and validation splits need an image each")


def _png_files(folder):
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        raise ValueError(f"{folder}: cannot list the folder") from None
    files, others = {}, []
    for name in names:
        if name.startswith("."):
            continue
        stem, extension = os.path.splitext(name)
        if extension.lower() != ".png":
            others.append(name)
            continue
        if stem in files:
            raise ValueError(f"{os.path.join(folder, name)}: same name as {os.path.basename(files[stem])}; "
                             "stems pair images with masks and must be unique")
        files[stem] = os.path.join(folder, name)
    if not files:
        found = f" ({len(others)} other file{'' if len(others) == 1 else 's'}, e.g. {others[0]}; only .png is read)" if others else ""
        raise ValueError(f"{folder}: no .png files{found}")
    return files


def _read(path, labels):
    try:
        with open(path, "rb") as file:
            return read_png(file.read(), labels=labels)
    except PNGError as error:
        raise ValueError(f"{path}: {error}") from None
    except OSError:
        raise ValueError(f"{path}: missing or unreadable") from None


def _standardised(picture, channels):
    """C x H x W float32: each channel to mean 0, deviation 1 (in float64, as Swift's
    standardisedChannels; a flat channel stays 0)."""
    planes = picture.astype(np.float64).transpose(2, 0, 1)
    if planes.shape[0] != channels:
        planes = np.repeat(planes, channels, axis=0)
    out = np.zeros_like(planes)
    for c in range(channels):
        mean = planes[c].mean()
        deviation = np.sqrt(((planes[c] - mean) ** 2).mean())
        if deviation > 1e-6:
            out[c] = (planes[c] - mean) / deviation
    return out.astype(np.float32)


def _seeded_splits(count, seed):
    """FolderDataset's split: a seeded shuffle of the sorted stems' indices, 15 % test, 15 % validation."""
    order = SeededRandom(sample_seed(seed, FOLDER_SALT, "train", 0)).shuffle(list(range(count)))
    held = max(1, int(_round_half_away(0.15 * count)))
    return {"test": sorted(order[:held]), "validation": sorted(order[held:2 * held]), "train": sorted(order[2 * held:])}


def _round_half_away(value):
    """Swift's `rounded()` (to nearest, ties away from zero); Python's round() ties to even."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def _read_description(path):
    file = os.path.join(path, "dataset.json")
    if not os.path.exists(file):
        return {}
    try:
        with open(file) as handle:
            description = json.load(handle)
    except (OSError, ValueError) as error:
        raise ValueError(f"{file}: not readable as JSON ({error})") from None
    if not isinstance(description, dict):
        raise ValueError(f"{file}: not a JSON object")
    names = description.get("classes")
    if names is not None and not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        raise ValueError(f"{file}: \"classes\" must be a list of class names")
    return description


def _listed_splits(description, stems, path):
    """dataset.json's splits as indices into `stems`, or None when it lists none."""
    listed = description.get("splits")
    if listed is None:
        return None
    file = os.path.join(path, "dataset.json")
    if not isinstance(listed, dict):
        raise ValueError(f"{file}: \"splits\" must be an object of stem lists")
    where = {stem: i for i, stem in enumerate(stems)}
    keys = {"train": "train", "val": "validation", "validation": "validation", "test": "test"}
    members, seen = {}, {}
    for key, names in listed.items():
        if key not in keys:
            raise ValueError(f"{file}: split \"{key}\" is not one of train, val, test")
        split = keys[key]
        if not isinstance(names, list):
            raise ValueError(f"{file}: split \"{key}\" must be a list of stems")
        indices = []
        for name in names:
            if name not in where:
                raise ValueError(f"{file}: split \"{key}\" names {name}, which has no image/mask pair in {path}")
            if name in seen:
                raise ValueError(f"{file}: {name} is in both \"{seen[name]}\" and \"{key}\"")
            seen[name] = key
            indices.append(where[name])
        members[split] = sorted(indices)
    if "test" not in members:
        members["test"] = sorted(i for stem, i in where.items() if stem not in seen)
    for split in SPLITS:
        members.setdefault(split, [])
    return members
