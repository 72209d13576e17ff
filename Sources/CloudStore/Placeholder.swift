enum CloudStorePlaceholder {}
