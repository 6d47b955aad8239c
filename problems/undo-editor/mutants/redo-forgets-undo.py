"""A text field with undo and redo, kept as stacks of earlier and later texts."""


class Editor:
    def __init__(self):
        self.text = ""
        self._undo = []
        self._redo = []

    def _edit(self, new_text):
        self._undo.append(self.text)
        self._redo.clear()
        self.text = new_text

    def type(self, chars):
        self._edit(self.text + chars)

    def delete(self, count):
        if count < 1:
            raise ValueError("count must be at least 1")
        if self.text:
            self._edit(self.text[:-count])

    def undo(self):
        if not self._undo:
            return False
        self._redo.append(self.text)
        self.text = self._undo.pop()
        return True

    def redo(self):
        if not self._redo:
            return False
        self.text = self._redo.pop()
        return True
