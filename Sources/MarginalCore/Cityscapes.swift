/// Cityscapes' 19 evaluation classes and their mean region proportions, the paper's Table 4
/// ("mRegProp", second row, in %), the default target ŷ of the explorer's Marginals screen.
public enum Cityscapes {
    public static let classNames = [
        "road", "sidewalk", "building", "wall", "fence", "pole", "traffic light", "traffic sign", "vegetation",
        "terrain", "sky", "person", "rider", "car", "truck", "bus", "train", "motorcycle", "bicycle",
    ]

    /// Table 4's row as printed, in % of all pixels (it sums to 88.6 %: the rest are void pixels).
    public static let meanRegionProportionPercent: [Double] = [
        32.6, 5.4, 20.2, 0.6, 0.8, 1.1, 0.2, 0.5, 14.1, 1.0, 3.6, 1.1, 0.1, 6.2, 0.2, 0.2, 0.2, 0.1, 0.4,
    ]

    /// The first `classes` of the row (2 to 19), renormalised to sum to 1: ŷ over the labelled pixels.
    public static func proportions(classes: Int = 19) -> [Double] {
        precondition((2 ... 19).contains(classes), "2 to 19 classes")
        let row = meanRegionProportionPercent.prefix(classes)
        let total = row.reduce(0, +)
        return row.map { $0 / total }
    }
}
