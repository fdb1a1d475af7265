namespace WaferNotebooks.Core.Energy;

/// <summary>
/// Power of one accelerator while training: idle + (TDP − idle)·busy. "busy" is the share of
/// the step the device spends in kernels that drive its math units and memory (matmuls,
/// elementwise work, optimizer), as opposed to waiting in pipeline bubbles, exposed
/// communication and launch waits (no kernel running until the host issues the next one),
/// which draw close to idle. Linear in activity, the usual first-order GPU power
/// model (Hong and Kim, ISCA 2010; Kandiah et al., AccelWattch, MICRO 2021: dynamic power is
/// proportional to unit activity on top of a constant static/idle part). Dense training
/// kernels draw close to TDP: Patterson et al. 2021 (Table 4) measured 310 W per TPU v3 system
/// against a 262 W chip maximum, and PaLM 378.5 W per TPU v4 chip including host.
/// </summary>
public static class DevicePower
{
    public static double Watts(double idleW, double tdpW, double busyFraction) =>
        idleW + (tdpW - idleW) * Math.Clamp(busyFraction, 0, 1);

    /// <summary>
    /// The busy share of the devices of a pipeline of <paramref name="stages"/> stages with as many
    /// devices each, over a step of <paramref name="stepS"/>: a stage's devices draw the limit for
    /// their own busy seconds B_s and idle power for the rest of the step (their bubble and their
    /// wait for the slowest stage), so their mean power is <see cref="Watts"/> at ΣB_s/(p·T).
    /// <paramref name="busySecondsOverStages"/> is ΣB_s.
    /// </summary>
    public static double BusyShare(double busySecondsOverStages, int stages, double stepS) =>
        busySecondsOverStages / (Math.Max(1, stages) * stepS);
}
