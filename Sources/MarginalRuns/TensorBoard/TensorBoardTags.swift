/// The TensorBoard tags of a run's metrics lines (docs/TENSORBOARD.md): the scalars of
/// `metrics.jsonl` under the names TensorBoard shows, one convention for marginal's event files
/// and for reading anyone's (a PyTorch run logged under it is read like a marginal run).
public enum TensorBoardTags {
    public static let loss = "loss", ce = "ce", reg = "reg", lr = "lr", epoch = "epoch"
    public static let miou = "miou", validationLoss = "validation/loss", hd95 = "hd95", nsd = "nsd"
    /// The run's `config.json`, as a text summary.
    public static let configuration = "config"

    /// `iou/<class>`, `dice/<class>`: per-class scores at an evaluation.
    public static func iou(_ name: String) -> String { "iou/\(name)" }
    public static func dice(_ name: String) -> String { "dice/\(name)" }
    /// `proportion/target/<class>` (ŷ), `proportion/soft/<class>` (p̂ at τ = 1),
    /// `proportion/tau/<class>` (p̂ at the run's τ), `proportion/hard/<class>` (argmax shares).
    public static func proportion(_ kind: String, _ name: String) -> String { "proportion/\(kind)/\(name)" }

    /// A train line's scalars: loss, ce, reg, lr and epoch.
    public static func scalars(of line: TrainLine) -> [(tag: String, value: Double)] {
        [(loss, line.loss), (ce, line.ce), (reg, line.reg), (lr, line.lr), (epoch, line.epoch)]
    }

    /// An eval line's scalars: mIoU, the validation loss, per-class IoU and Dice (where defined),
    /// the proportions, HD95 and NSD where computed. `classNames` names the classes (the
    /// configuration's); a class without a name is `class<k>`.
    public static func scalars(of line: EvalLine, classNames: [String]) -> [(tag: String, value: Double)] {
        let result = line.result
        func name(_ k: Int) -> String { k < classNames.count ? classNames[k] : "class\(k)" }
        var scalars: [(tag: String, value: Double)] = []
        if let value = result.miou { scalars.append((Self.miou, value)) }
        scalars.append((validationLoss, result.loss))
        for (k, value) in result.iou.enumerated() { if let value { scalars.append((iou(name(k)), value)) } }
        for (k, value) in result.dice.enumerated() { if let value { scalars.append((dice(name(k)), value)) } }
        for (k, value) in result.targetProportion.enumerated() { scalars.append((proportion("target", name(k)), value)) }
        for (k, value) in result.predProportion.enumerated() { scalars.append((proportion("soft", name(k)), value)) }
        for (k, value) in (result.temperedProportion ?? []).enumerated() { scalars.append((proportion("tau", name(k)), value)) }
        for (k, value) in result.hardProportion.enumerated() { scalars.append((proportion("hard", name(k)), value)) }
        if let value = result.hd95 { scalars.append((Self.hd95, value)) }
        if let value = result.nsd { scalars.append((Self.nsd, value)) }
        return scalars
    }
}
