enum CloudAPIPlaceholder {}
