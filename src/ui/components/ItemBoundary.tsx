import React from 'react';
import { Text } from 'ink';

interface Props {
  /** Shown instead of the item if rendering it throws. */
  fallback: string;
  children: React.ReactNode;
}

/** One odd item (a tool display the UI does not expect) must not take the whole REPL down. */
export class ItemBoundary extends React.Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? <Text>{this.props.fallback}</Text> : this.props.children;
  }
}
