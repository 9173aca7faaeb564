# A file with nothing but comments.
// Slash comment
/* Block
   comment */
