namespace WaferNotebooks.Core.Validation;

/// <summary>How <see cref="ValidationRun"/> fills the layout knobs a row does not publish.</summary>
public enum LayoutPolicy
{
    /// <summary>As the framework would unless told otherwise (<see cref="UnpublishedKnobs"/>): a
    /// prediction of what the authors most likely ran. The default for validation.</summary>
    FrameworkDefaults,

    /// <summary>The planner's fastest layout consistent with the row: an optimistic bound
    /// (choosing the fastest unpublished knobs biases predictions fast: docs/gpu-model.md §9.2).</summary>
    Fastest,
}
