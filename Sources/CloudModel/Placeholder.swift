enum CloudModelPlaceholder {}
