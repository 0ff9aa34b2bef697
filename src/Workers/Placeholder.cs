namespace SweepRunner.Workers; internal static class Placeholder {}
