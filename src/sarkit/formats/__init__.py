"""What readers and writers share: the combined workbook layout, the IMR Markdown structure,
sarkit's output mark."""
