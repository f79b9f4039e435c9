"""2-D / 3-D U-Net of the demo bank (recipe section 3.1): 4 levels (decoder strides 1,2,4,8; bottleneck 16),
two 3x3 conv + BatchNorm + ReLU per block, max-pool down, ConvTranspose up, skip concatenation, 1x1 head.
forward() returns (logits, dec0, dec1, dec2, dec3); dec{k} is the decoder stage at stride 2^k with base*2^k channels."""
import torch
import torch.nn as nn
import torch.nn.functional as F

OUTPUT_NAMES = ['logits', 'dec0', 'dec1', 'dec2', 'dec3']


def _ops(dim):
    if dim == 2:
        return nn.Conv2d, nn.BatchNorm2d, nn.ConvTranspose2d, nn.MaxPool2d
    return nn.Conv3d, nn.BatchNorm3d, nn.ConvTranspose3d, nn.MaxPool3d


class Block(nn.Module):
    def __init__(self, cin, cout, dim):
        super().__init__()
        Conv, BN, _, _ = _ops(dim)
        self.net = nn.Sequential(Conv(cin, cout, 3, padding=1), BN(cout), nn.ReLU(inplace=True),
                                 Conv(cout, cout, 3, padding=1), BN(cout), nn.ReLU(inplace=True))

    def forward(self, x):
        return self.net(x)


class UNet(nn.Module):
    def __init__(self, in_ch=1, num_classes=2, base=8, dim=2):
        super().__init__()
        Conv, _, Up, Pool = _ops(dim)
        c = [base * 2 ** i for i in range(5)]  # 8,16,32,64,128
        self.enc = nn.ModuleList([Block(in_ch, c[0], dim), Block(c[0], c[1], dim), Block(c[1], c[2], dim),
                                  Block(c[2], c[3], dim)])
        self.pool = Pool(2)
        self.bott = Block(c[3], c[4], dim)
        self.up = nn.ModuleList([Up(c[i + 1], c[i], 2, stride=2) for i in range(4)])
        self.dec = nn.ModuleList([Block(2 * c[i], c[i], dim) for i in range(4)])
        self.head = Conv(c[0], num_classes, 1)

    def forward(self, x):
        skips = []
        for e in self.enc:
            x = e(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bott(x)
        decs = [None] * 4
        for i in (3, 2, 1, 0):
            x = self.dec[i](torch.cat([self.up[i](x), skips[i]], 1))
            decs[i] = x
        return (self.head(x), decs[0], decs[1], decs[2], decs[3])

    def replace_head(self, num_classes):
        Conv = type(self.head)
        self.head = Conv(self.head.in_channels, num_classes, 1)


def loss_fn(logits, y, ncls):
    """Cross-entropy + soft Dice over the foreground classes."""
    ce = F.cross_entropy(logits, y)
    p = logits.softmax(1)
    oh = F.one_hot(y, ncls).movedim(-1, 1).float()
    dims = tuple([0] + list(range(2, p.dim())))
    inter = (p * oh).sum(dims)
    den = p.sum(dims) + oh.sum(dims)
    dice = (2 * inter + 1) / (den + 1)
    return ce + (1 - dice[1:].mean())
