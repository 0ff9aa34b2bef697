namespace SweepRunner.Training; internal static class Placeholder {}
