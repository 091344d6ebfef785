// Stack buffers on the per-line paths are always written before they are read (ASCII widening, lowercasing, hash
// arrays), so zeroing them is pure cost: measured at several percent of a Zeek scan.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
