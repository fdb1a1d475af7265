// Two namespaces that use each other only inside method bodies, so that the namespace check is
// seen to find a cycle (NamespaceCycleTests.The_check_sees_a_cycle_made_only_inside_method_bodies).
namespace CycleProbe.A
{
    internal static class First
    {
        public static int Call() => CycleProbe.B.Second.Value() + 1;
    }
}

namespace CycleProbe.B
{
    internal static class Second
    {
        public static int Value() => 1;

        public static int Back() => CycleProbe.A.First.Call();
    }
}
